package io.github.managedscopes.spring;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.github.managedscopes.autoconfigure.ManagedScopesTransactionAutoConfiguration;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The library on a class path that really lacks spring-tx and spring-jdbc: no class on the paths
 * that load must reference them. Each scenario runs inside a class loader built from the test
 * class path less those jars, so a stray reference fails with {@link NoClassDefFoundError}.
 */
class WithoutSpringTxTests {

    @Test
    void theClassPathOfTheScenariosReallyLacksSpringTx() throws Exception {
        try (URLClassLoader loader = withoutSpringTx()) {
            assertThatExceptionOfType(ClassNotFoundException.class).isThrownBy(() -> loader
                .loadClass("org.springframework.transaction.support.TransactionSynchronizationManager"));
        }
    }

    @Test
    void onlyTheTransactionClassesReferToSpringTxOrSpringJdbc() {
        JavaClasses production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.github.managedscopes");
        noClasses().that()
            .doNotBelongToAnyOf(TransactionHooks.class, TransactionCompletion.class,
                    ManagedScopesTransactionAutoConfiguration.class)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework.transaction..", "org.springframework.jdbc..")
            .because("spring-tx and spring-jdbc are optional: everything else must load without them")
            .check(production);
    }

    @Test
    void scopeEndResourcesAndScopeHooksWorkAndNoTransactionHooksAreConfigured() throws Exception {
        assertThat(runScenario(WithoutSpringTxScenarios.ScopeEnd.class)).isEqualTo(
                "TransactionHooks beans: 0; events: [use a, close a]");
    }

    @Test
    void closeAtTransactionEndFailsAtStartUpNamingTheMethodAndSpringTx() throws Exception {
        assertThat(runScenario(WithoutSpringTxScenarios.TransactionEnd.class))
            .contains("WithoutSpringTxScenarios$TransactionEndResources.open'")
            .contains("spring-tx is not on the classpath");
    }

    private static String runScenario(Class<? extends Callable<String>> scenario) throws Exception {
        try (URLClassLoader loader = withoutSpringTx()) {
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(loader);
            try {
                @SuppressWarnings("unchecked")
                Callable<String> isolated = (Callable<String>) loader.loadClass(scenario.getName())
                    .getDeclaredConstructor()
                    .newInstance();
                return isolated.call();
            }
            finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }
    }

    private static URLClassLoader withoutSpringTx() throws MalformedURLException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            String name = new File(entry).getName();
            if (!name.startsWith("spring-tx-") && !name.startsWith("spring-jdbc-")) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

}
