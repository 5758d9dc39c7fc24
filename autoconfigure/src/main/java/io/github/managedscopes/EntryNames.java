package io.github.managedscopes;

/**
 * Derives the name an entry is reported under from its class, once per class: the class
 * name without its package, with the synthetic suffix of lambdas and hidden classes cut.
 * The managers of {@link ContextManagers} name themselves after what they do.
 */
final class EntryNames {

    private static final ClassValue<String> NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            String name = type.getName();
            int lambda = name.indexOf("$$Lambda");
            if (lambda >= 0) {
                name = name.substring(0, lambda + "$$Lambda".length());
            }
            int hidden = name.indexOf('/');
            if (hidden >= 0) {
                name = name.substring(0, hidden);
            }
            return name.substring(name.lastIndexOf('.') + 1);
        }
    };

    private EntryNames() {
    }

    static String of(Object entry) {
        return (entry instanceof Named named) ? named.entryName() : NAMES.get(entry.getClass());
    }

    /**
     * The name of a manager built from functions: {@code contextmanager(Declaring)} after the
     * class that declared its enter function.
     */
    static String contextManager(Object enter) {
        String declaring = NAMES.get(enter.getClass());
        int lambda = declaring.indexOf("$$Lambda");
        return "contextmanager(" + ((lambda >= 0) ? declaring.substring(0, lambda) : declaring) + ")";
    }

    /** An entry that says what it is reported as. */
    interface Named {

        /**
         * The name to report the entry under: bounded, never request data.
         * @return the name
         */
        String entryName();

    }

}
