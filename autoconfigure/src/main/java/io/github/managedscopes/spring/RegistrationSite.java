package io.github.managedscopes.spring;

/**
 * Where and on which thread a resource was registered: the stack trace of its registration,
 * captured once by the {@link ScopeRegistry} while leak detection is on, logged with a leak
 * report and listed by the actuator endpoint.
 */
public final class RegistrationSite extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient String thread;

    RegistrationSite(String name, String thread) {
        super("'" + name + "' was registered here");
        this.thread = thread;
    }

    /**
     * The name of the thread that registered the resource.
     * @return the thread's name
     */
    public String thread() {
        return this.thread;
    }

}
