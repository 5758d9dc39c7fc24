package io.github.managedscopes;

import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.github.managedscopes.archfixture.DependsOnSpring;
import io.github.managedscopes.archfixture.anywhere.LoadsServlet;
import io.github.managedscopes.archfixture.anywhere.UsesReactor;
import io.github.managedscopes.archfixture.anywhere.UsesSpringTx;
import io.github.managedscopes.archfixture.micrometer.ImportsWebCode;
import io.github.managedscopes.archfixture.spring.ImportsMeters;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every arrow between the layers of the README's layout section, each rule checked on the
 * production classes and, on a fixture class that breaks it, shown to fail:
 * <ul>
 * <li>the core ({@code io.github.managedscopes}) depends on the JDK, JSpecify and slf4j only;</li>
 * <li>the Spring layer ({@code .spring}) does not reach the meters nor the auto-configuration;</li>
 * <li>the metrics ({@code .micrometer}) import no web code (servlet, Spring Web, the Spring
 * layer's servlet classes) nor the auto-configuration;</li>
 * <li>only the web-specific classes load servlet or Spring Web classes;</li>
 * <li>only the reactive package and its auto-configuration load Reactor or WebFlux (optional);</li>
 * <li>only the transaction classes use spring-tx (it is optional);</li>
 * <li>the JFR events ({@code .jfr}) depend on the JDK only.</li>
 * </ul>
 */
class LayerArchitectureTest {

    private static final String ROOT = "io.github.managedscopes";

    private static final String FIXTURE = ROOT + ".archfixture";

    /** The classes that may load servlet and Spring Web classes, with their nested classes. */
    private static final Set<String> WEB_CLASSES = Set.of(ROOT + ".spring.ServletRequestScopes",
            ROOT + ".spring.ManagedScopesRequestFilter", ROOT + ".spring.RequestFailureRecorder",
            ROOT + ".spring.RequestScopeLifecycle", ROOT + ".spring.ObservedResponse",
            ROOT + ".spring.StreamingResponseObserver", ROOT + ".autoconfigure.ManagedScopesWebAutoConfiguration");

    /** The package whose classes may load Reactor and WebFlux classes. */
    private static final String REACTIVE_PACKAGE = ".spring.reactive";

    /**
     * The classes outside it that may load them, with their nested classes (ResultKind only in
     * a nested class loaded when Reactor is present).
     */
    private static final Set<String> REACTIVE_CLASSES = Set.of(
            ROOT + ".autoconfigure.ManagedScopesWebFluxAutoConfiguration", ROOT + ".spring.ResultKind");

    /** The classes that may use spring-tx, with their nested classes. */
    private static final Set<String> TRANSACTION_CLASSES = Set.of(ROOT + ".spring.TransactionHooks",
            ROOT + ".spring.TransactionCompletion", ROOT + ".autoconfigure.ManagedScopesTransactionAutoConfiguration");

    private static final String[] REACTIVE_LIBRARIES = { "reactor..", "org.springframework.web.reactive..",
            "org.springframework.web.server..", "org.springframework.http.server.reactive.." };

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(ROOT);

    private static final JavaClasses FIXTURES = new ClassFileImporter().importPackages(FIXTURE);

    @Test
    void theCoreDependsOnTheJdkJSpecifyAndSlf4jOnly() {
        coreDependsOnTheJdkOnly(ROOT).check(PRODUCTION);
        assertFails(coreDependsOnTheJdkOnly(FIXTURE), DependsOnSpring.class, "org.springframework.util.Assert");
    }

    @Test
    void theSpringLayerReachesNeitherTheMetersNorTheAutoConfiguration() {
        springLayerStaysBelowMetrics(ROOT + ".spring").check(PRODUCTION);
        assertFails(springLayerStaysBelowMetrics(FIXTURE + ".spring"), ImportsMeters.class,
                "io.micrometer.core.instrument.Counter");
    }

    @Test
    void theMetricsImportNoWebCode() {
        metricsImportNoWebCode(ROOT + ".micrometer").check(PRODUCTION);
        assertFails(metricsImportNoWebCode(FIXTURE + ".micrometer"), ImportsWebCode.class,
                ROOT + ".spring.ServletRequestScopes");
    }

    @Test
    void onlyTheWebSpecificClassesLoadServletClasses() {
        onlyListedClassesUse(ROOT, listed(WEB_CLASSES), "jakarta.servlet..", "org.springframework.web.servlet..",
                "org.springframework.web.context..")
            .check(PRODUCTION);
        onlyListedClassesUse(ROOT, listed(WEB_CLASSES).or(reactive(ROOT)), "org.springframework.web..")
            .check(PRODUCTION);
        assertFails(onlyListedClassesUse(FIXTURE, listed(WEB_CLASSES).or(reactive(FIXTURE)), "jakarta.servlet..",
                "org.springframework.web.."), LoadsServlet.class, "jakarta.servlet.ServletRequest");
    }

    @Test
    void onlyTheReactiveClassesLoadReactorOrWebFlux() {
        onlyListedClassesUse(ROOT, reactive(ROOT), REACTIVE_LIBRARIES).check(PRODUCTION);
        assertFails(onlyListedClassesUse(FIXTURE, reactive(FIXTURE), REACTIVE_LIBRARIES), UsesReactor.class,
                "reactor.core.publisher.Mono");
    }

    @Test
    void onlyTheTransactionClassesUseSpringTx() {
        onlyListedClassesUse(ROOT, listed(TRANSACTION_CLASSES), "org.springframework.transaction..").check(PRODUCTION);
        assertFails(onlyListedClassesUse(FIXTURE, listed(TRANSACTION_CLASSES), "org.springframework.transaction.."),
                UsesSpringTx.class, "TransactionSynchronizationManager");
    }

    private static void assertFails(ArchRule rule, Class<?> culprit, String dependency) {
        assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> rule.check(FIXTURES))
            .withMessageContaining(culprit.getName())
            .withMessageContaining(dependency);
    }

    /** The rule for exactly one package: its subpackages are the integration layers. */
    @Test
    void theFlightRecorderEventsDependOnTheJdkOnly() {
        // The same rule as the core's (shown to fail on its fixture), with jdk.jfr allowed.
        classes().that()
            .resideInAPackage(ROOT + ".jfr")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "jdk.jfr..", "org.jspecify..", ROOT + ".jfr")
            .because("JFR events must load without Spring or Micrometer (docs/observability.md, Java Flight Recorder)")
            .check(PRODUCTION);
    }

    private static ArchRule coreDependsOnTheJdkOnly(String core) {
        return classes().that()
            .resideInAPackage(core)
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "org.jspecify..", "org.slf4j..", core)
            .because("the core must stay usable with the JDK alone and reach the other layers only through "
                    + "ExitStackListener (README, Layout)");
    }

    private static ArchRule springLayerStaysBelowMetrics(String spring) {
        return noClasses().that()
            .resideInAPackage(spring + "..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.micrometer.core..", ROOT + ".micrometer..", ROOT + ".autoconfigure..")
            .because("the metrics subscribe to the Spring layer's ScopeRegistry, never the other way round "
                    + "(README, Layout)");
    }

    private static ArchRule metricsImportNoWebCode(String micrometer) {
        return noClasses().that()
            .resideInAPackage(micrometer + "..")
            .should()
            .dependOnClassesThat(inAnyPackage("jakarta.servlet.", "org.springframework.web.",
                    "org.springframework.http.", ROOT + ".autoconfigure.").or(listed(WEB_CLASSES)))
            .because("the metrics work for any kind of scope, web or not (README, Layout)");
    }

    private static ArchRule onlyListedClassesUse(String root, DescribedPredicate<JavaClass> allowed,
            String... packages) {
        return noClasses().that()
            .resideInAPackage(root + "..")
            .and(DescribedPredicate.not(allowed))
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(packages)
            .because("those libraries are optional: only the classes that switch on with them may load them "
                    + "(README, Layout)");
    }

    private static DescribedPredicate<JavaClass> listed(Set<String> names) {
        return DescribedPredicate.describe("one of " + names, (type) -> {
            String name = type.getName();
            int nested = name.indexOf('$');
            return names.contains((nested < 0) ? name : name.substring(0, nested));
        });
    }

    /** The reactive package under {@code root}, and the classes listed in {@link #REACTIVE_CLASSES}. */
    private static DescribedPredicate<JavaClass> reactive(String root) {
        return inAnyPackage(root + REACTIVE_PACKAGE + ".").or(listed(REACTIVE_CLASSES));
    }

    private static DescribedPredicate<JavaClass> inAnyPackage(String... prefixes) {
        return DescribedPredicate.describe("in any of " + String.join(", ", prefixes), (type) -> {
            for (String prefix : prefixes) {
                if (type.getName().startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        });
    }

}
