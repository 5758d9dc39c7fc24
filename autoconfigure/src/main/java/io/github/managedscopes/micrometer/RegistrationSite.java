package io.github.managedscopes.micrometer;

/**
 * Where and on which thread a resource was registered: the stack trace of its registration,
 * logged with a leak report. Captured only while leak detection is on.
 */
final class RegistrationSite extends Exception {

    private static final long serialVersionUID = 1L;

    final transient String thread;

    RegistrationSite(String name) {
        super("'" + name + "' was registered here");
        this.thread = Thread.currentThread().getName();
    }

}
