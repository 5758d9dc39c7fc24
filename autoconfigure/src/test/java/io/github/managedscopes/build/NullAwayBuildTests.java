package io.github.managedscopes.build;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build's nullness check: the compiler flags of this module's main compilation (its
 * {@code pom.xml}, execution {@code default-compile}) run NullAway, which fails the build on a
 * nullness error in a {@code @NullMarked} package and passes its corrected version. It compiles
 * fixtures with the JDK running the tests, so it checks JDK 17 and JDK 25 alike.
 */
class NullAwayBuildTests {

    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([\\w.]+)}");

    @TempDir
    private Path directory;

    @Test
    void dereferencingANullableFieldFailsTheBuildNamingTheExpression() throws Exception {
        Compilation compilation = compile("""
                @NullMarked
                package fixture;

                import org.jspecify.annotations.NullMarked;
                """, """
                package fixture;

                import org.jspecify.annotations.Nullable;

                public class Names {

                    private @Nullable String name;

                    public int length() {
                        return this.name.length();
                    }

                }
                """);
        assertThat(compilation.exitCode()).as("javac exit code; output:%n%s", compilation.output()).isNotZero();
        assertThat(compilation.output()).contains("Names.java")
            .contains("[NullAway] dereferenced expression 'this.name' is @Nullable");
    }

    @Test
    void theCheckedVersionCompiles() throws Exception {
        Compilation compilation = compile("""
                @NullMarked
                package fixture;

                import org.jspecify.annotations.NullMarked;
                """, """
                package fixture;

                import org.jspecify.annotations.Nullable;

                public class Names {

                    private @Nullable String name;

                    public int length() {
                        String current = this.name;
                        return (current != null) ? current.length() : 0;
                    }

                }
                """);
        assertThat(compilation.exitCode()).as("javac exit code; output:%n%s", compilation.output()).isZero();
    }

    @Test
    void codeOutsideNullMarkedPackagesIsNotChecked() throws Exception {
        Compilation compilation = compile("""
                package fixture;
                """, """
                package fixture;

                import org.jspecify.annotations.Nullable;

                public class Names {

                    private @Nullable String name;

                    public int length() {
                        return this.name.length();
                    }

                }
                """);
        assertThat(compilation.exitCode()).as("javac exit code; output:%n%s", compilation.output()).isZero();
    }

    /**
     * JSpecify mode also reads nullness from type arguments; standard mode, used on JDKs without
     * the javac support it needs, does not.
     */
    @Test
    void inJSpecifyModeANullableTypeArgumentIsChecked() throws Exception {
        Compilation compilation = compile("""
                @NullMarked
                package fixture;

                import org.jspecify.annotations.NullMarked;
                """, """
                package fixture;

                import org.jspecify.annotations.Nullable;

                public class Names {

                    public int length(Box<@Nullable String> box) {
                        return box.get().length();
                    }

                    public interface Box<T extends @Nullable Object> {

                        T get();

                    }

                }
                """);
        if (Boolean.getBoolean("nullaway.jspecify")) {
            assertThat(compilation.exitCode()).as("javac exit code; output:%n%s", compilation.output()).isNotZero();
            assertThat(compilation.output()).contains("[NullAway] dereferenced expression 'box.get()' is @Nullable");
        }
        else {
            assertThat(compilation.exitCode()).as("javac exit code; output:%n%s", compilation.output()).isZero();
        }
    }

    private Compilation compile(String packageInfo, String names) throws Exception {
        Path sources = Files.createDirectories(this.directory.resolve("src/fixture"));
        Files.writeString(sources.resolve("package-info.java"), packageInfo);
        Files.writeString(sources.resolve("Names.java"), names);
        Path classes = Files.createDirectories(this.directory.resolve("classes"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "javac").toString());
        command.addAll(mainCompilerArgs());
        String classpath = System.getProperty("java.class.path");
        command.addAll(List.of("--release", "17", "-proc:none", "-processorpath", classpath, "-classpath",
                classpath, "-d", classes.toString(), sources.resolve("package-info.java").toString(),
                sources.resolve("Names.java").toString()));
        Process javac = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (var in = javac.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(javac.waitFor(120, TimeUnit.SECONDS)).as("javac finished").isTrue();
        return new Compilation(javac.exitValue(), output);
    }

    /**
     * The {@code compilerArgs} of the {@code default-compile} execution in this module's
     * {@code pom.xml}, with the Maven properties that surefire passes on resolved.
     */
    private static List<String> mainCompilerArgs() throws Exception {
        File pom = Path.of(System.getProperty("user.dir"), "pom.xml").toFile();
        NodeList executions = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom)
            .getElementsByTagName("execution");
        for (int i = 0; i < executions.getLength(); i++) {
            Element execution = (Element) executions.item(i);
            if ("default-compile".equals(execution.getElementsByTagName("id").item(0).getTextContent())) {
                NodeList args = execution.getElementsByTagName("arg");
                List<String> result = new ArrayList<>();
                for (int j = 0; j < args.getLength(); j++) {
                    result.add(resolve(args.item(j).getTextContent().trim()));
                }
                assertThat(result).as("compilerArgs of default-compile in %s", pom).isNotEmpty();
                return result;
            }
        }
        throw new IllegalStateException("No execution 'default-compile' in " + pom + ": NullAway is not configured");
    }

    private static String resolve(String arg) throws IOException {
        Matcher matcher = PROPERTY.matcher(arg);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String value = System.getProperty(matcher.group(1));
            if (value == null) {
                throw new IOException("Maven property " + matcher.group(1) + " of compiler argument '" + arg
                        + "' is not passed to the tests: add it to surefire's systemPropertyVariables");
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private record Compilation(int exitCode, String output) {
    }

}
