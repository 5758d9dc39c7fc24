package io.github.managedscopes;

/**
 * Derives the name an entry is reported under from its class, once per class: the class
 * name without its package, with the synthetic suffix of lambdas and hidden classes cut.
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
        return NAMES.get(entry.getClass());
    }

}
