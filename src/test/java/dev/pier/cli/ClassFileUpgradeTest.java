package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * bin/lib/ClassFileUpgrade.java, which bin/pier runs on JDK 24+ so that picocli's Java 5 class files can be kept
 * linked in the class-data archive (docs/benchmarks.md, "Cold start", third round): the copy it writes has every
 * class at version 50 or newer, the jars without old classes stay as they are, picocli's classes pass the JVM's
 * type-checking verifier with the frames it computed (a version 50 class that failed would fall back to the old
 * verifier, and the JVM logs that), and Pier's command line behaves byte for byte as on the original jar.
 */
class ClassFileUpgradeTest {
    private static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    static Path dir;

    static Path picocli;
    static Path upgradedPicocli;
    static List<String> upgradedClasspath;

    @BeforeAll
    static void upgrade() throws Exception {
        assumeTrue(Runtime.version().feature() >= 24, "the ClassFile API (java.lang.classfile) is JDK 24+");
        picocli = jarOf(CommandLine.class);
        String slf4j = jarOf(org.slf4j.Logger.class).toString();
        Path classpathFile = dir.resolve("classpath.txt");
        Files.writeString(classpathFile, picocli + ":" + slf4j + "\n");
        Path out = dir.resolve("out.txt");
        Result run = run(
                List.of(
                        JAVA,
                        "bin/lib/ClassFileUpgrade.java",
                        classpathFile.toString(),
                        dir.resolve("upgraded").toString(),
                        out.toString()),
                Map.of());
        assertThat(run.exitCode()).as(run.output()).isZero();
        upgradedClasspath = List.of(Files.readString(out).strip().split(":"));
        upgradedPicocli = dir.resolve("upgraded").resolve(picocli.getFileName()).toAbsolutePath();
        assertThat(upgradedClasspath).containsExactly(upgradedPicocli.toString(), slf4j);
    }

    @Test
    void everyClassIsAtVersion50OrNewerAndNoEntryIsLost() throws IOException {
        Map<String, Integer> before = classVersions(picocli);
        Map<String, Integer> after = classVersions(upgradedPicocli);
        assertThat(before.values())
                .as("picocli's own class files are Java 5's: the reason for the upgrade")
                .contains(49);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        assertThat(after.values()).allMatch(v -> v >= 50);
        assertThat(entryNames(upgradedPicocli)).isEqualTo(entryNames(picocli));
    }

    @Test
    void serveHelpAndAUsageErrorAreTheSameOnTheUpgradedJar() throws Exception {
        List<List<String>> commandLines =
                List.of(List.of("serve", "--help"), List.of("serve", "--model-repository", "r", "--http-port", "x"));
        for (List<String> args : commandLines) {
            Result original = pier(picocli, args, dir.resolve("original.log"));
            Result upgraded = pier(upgradedPicocli, args, dir.resolve("upgraded.log"));
            assertThat(upgraded).as("pier %s", args).isEqualTo(original);
        }
        assertThat(pier(upgradedPicocli, commandLines.get(0), dir.resolve("help.log"))
                        .output())
                .contains("--model-repository");
        assertThat(Files.readString(dir.resolve("help.log")))
                .contains("Verifying class picocli.CommandLine with new format")
                .doesNotContain("Fail over");
        assertThat(Files.readString(dir.resolve("original.log")))
                .as("the original jar's classes, for contrast")
                .contains("Verifying class picocli.CommandLine with old format");
    }

    /**
     * Pier's CLI on the test's class path with {@code picocliJar} in place of picocli's jar, the JVM's
     * verification log written to {@code verificationLog}.
     */
    private static Result pier(Path picocliJar, List<String> args, Path verificationLog) throws Exception {
        List<String> classpath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classpath.add(
                    Path.of(entry).toAbsolutePath().equals(picocli.toAbsolutePath()) ? picocliJar.toString() : entry);
        }
        assertThat(classpath).contains(picocliJar.toString());
        List<String> command = new ArrayList<>(List.of(
                JAVA,
                "--enable-native-access=ALL-UNNAMED",
                "-Xlog:verification=info:file=" + verificationLog,
                "dev.pier.cli.PierCli"));
        command.addAll(args);
        return run(command, Map.of("CLASSPATH", String.join(File.pathSeparator, classpath)));
    }

    private static Result run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private record Result(int exitCode, String output) {}

    private static Path jarOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Each class file's major version (bytes 6-7), by entry name, outside META-INF. */
    private static Map<String, Integer> classVersions(Path jar) throws IOException {
        Map<String, Integer> versions = new TreeMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : zip.stream().toList()) {
                if (entry.getName().endsWith(".class") && !entry.getName().startsWith("META-INF/")) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        byte[] head = in.readNBytes(8);
                        versions.put(entry.getName(), ((head[6] & 0xff) << 8) | (head[7] & 0xff));
                    }
                }
            }
        }
        return versions;
    }

    private static List<String> entryNames(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().map(ZipEntry::getName).toList();
        }
    }
}
