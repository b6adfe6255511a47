package dev.pier.packaging;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;

/**
 * The JDK modules a serving image's runtime needs: what {@code jdeps} finds in the serving classpath, plus the
 * modules that code reaches only by reflection or {@link java.util.ServiceLoader}, which {@code jdeps} cannot see.
 * Stateless.
 */
final class RuntimeModules {
    /**
     * Always linked, each for a reason jdeps cannot see: {@code jdk.crypto.ec} (TLS key exchange; an empty
     * module on JDK 22+, kept for 21), {@code jdk.unsupported} ({@code sun.misc.Unsafe}, which Netty and
     * protobuf look up reflectively), {@code jdk.management} (Micrometer's JVM and process metrics read
     * {@code com.sun.management} beans), {@code jdk.zipfs} (the zip file-system provider),
     * {@code jdk.naming.dns} (Netty asks JNDI's DNS provider for the name servers) and {@code java.logging}.
     */
    static final List<String> ALWAYS = List.of(
            "java.logging", "jdk.crypto.ec", "jdk.management", "jdk.naming.dns", "jdk.unsupported", "jdk.zipfs");

    private RuntimeModules() {}

    /**
     * Runs {@code jdeps --print-module-deps} over the serving classpath. Roots are the class folders and the
     * plain jars; modular jars stay on the class path only, since analysing them as modules makes jdeps resolve
     * their optional ({@code requires static}) modules, which a runtime classpath does not carry.
     */
    static Set<String> find(List<Path> servingClasspath) throws IOException, InterruptedException {
        List<String> roots = new ArrayList<>();
        for (Path entry : servingClasspath) {
            if (Files.isDirectory(entry) || (Files.isRegularFile(entry) && !modular(entry))) {
                roots.add(entry.toString());
            }
        }
        List<String> command = new ArrayList<>(List.of(
                JdkTool.of("jdeps").toString(),
                "--print-module-deps",
                "--ignore-missing-deps",
                "--multi-release",
                Integer.toString(Runtime.version().feature()),
                "-q",
                "--class-path",
                String.join(
                        File.pathSeparator,
                        servingClasspath.stream().map(Path::toString).toList())));
        command.addAll(roots);
        String out = JdkTool.run(command).strip();
        String last = out.lines().reduce((a, b) -> b).orElse("");
        if (!last.matches("[a-z][a-z0-9_.]*(,[a-z][a-z0-9_.]*)*")) {
            throw new IOException("jdeps printed no module list: " + out);
        }
        Set<String> modules = new TreeSet<>(Arrays.asList(last.split(",")));
        for (String extra : ALWAYS) {
            if (java.lang.module.ModuleFinder.ofSystem().find(extra).isPresent()) {
                modules.add(extra);
            }
        }
        return modules;
    }

    private static boolean modular(Path jar) throws IOException {
        try (JarFile jf = new JarFile(jar.toFile())) {
            return jf.stream()
                    .anyMatch(e -> e.getName().equals("module-info.class")
                            || (e.getName().startsWith("META-INF/versions/")
                                    && e.getName().endsWith("/module-info.class")));
        }
    }
}
