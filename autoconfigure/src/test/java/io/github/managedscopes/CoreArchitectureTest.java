package io.github.managedscopes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.github.managedscopes.archfixture.DependsOnSpring;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * README, "Layout": the core package depends on the JDK (and slf4j/JSpecify) only, never on
 * Spring or Micrometer, so the arrows between layers point one way.
 */
class CoreArchitectureTest {

    private static final String CORE = "io.github.managedscopes";

    private static final String FIXTURE = "io.github.managedscopes.archfixture";

    @Test
    void importsTheProductionCoreClassesFromTargetClasses() {
        JavaClasses classes = productionClasses();

        assertThat(classes.contain(ExitStack.class)).isTrue();
        assertThat(classes.contain(ContextManagers.class)).isTrue();
        assertThat(classes.contain(CoreArchitectureTest.class)).isFalse();
        assertThat(classes.contain(DependsOnSpring.class)).isFalse();
    }

    @Test
    void keepsTheCoreFreeOfSpringAndMicrometer() {
        noSpringOrMicrometerIn(CORE).check(productionClasses());
    }

    @Test
    void catchesACoreClassThatDependsOnSpring() {
        JavaClasses fixture = new ClassFileImporter().importPackages(FIXTURE);

        assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> noSpringOrMicrometerIn(FIXTURE).check(fixture))
            .withMessageContaining(DependsOnSpring.class.getName())
            .withMessageContaining("org.springframework.util.Assert");
    }

    private static JavaClasses productionClasses() {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(CORE);
    }

    /** The rule for exactly one package (not its subpackages, which are the integration layers). */
    private static ArchRule noSpringOrMicrometerIn(String packageName) {
        return noClasses().that()
            .resideInAPackage(packageName)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "io.micrometer..")
            .because("the core must stay usable without Spring and reach Micrometer only through "
                    + "ExitStackListener (README, Layout)");
    }

}
