package dev.pier.packaging;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A JRE base image made on this machine in seconds, since no public registry is reachable here: a runtime
 * jlink'ed from the JDK running the tests, plus the shared libraries it and ONNX Runtime link against
 * (found with {@code ldd}), at their host paths; written as a tarball for Jib's {@code tar://} base.
 */
final class LocalJreBase {
    static final String JAVA_DIR = "/opt/java";
    private static final String MODULES = "java.base,java.logging,java.management,java.naming,java.net.http,"
            + "java.xml,java.sql,jdk.unsupported,jdk.crypto.ec,jdk.zipfs";

    private LocalJreBase() {
    }

    static Path build(Path work, Path onnxRuntimeLibs) throws Exception {
        Path jre = work.resolve("jre");
        Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
        run(List.of(jlink.toString(), "--add-modules", MODULES, "--strip-debug", "--no-header-files", "--no-man-pages",
                "--output", jre.toString()));

        Set<String> libs = new TreeSet<>();
        try (Stream<Path> files = Files.walk(jre)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".so") || f.endsWith("java")).toList()) {
                libs.addAll(sharedLibraries(p));
            }
        }
        try (Stream<Path> files = Files.walk(onnxRuntimeLibs)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".so")).toList()) {
                libs.addAll(sharedLibraries(p));
            }
        }
        libs.add("/lib64/ld-linux-x86-64.so.2");

        FileEntriesLayer.Builder runtime = FileEntriesLayer.builder().setName("jre");
        try (Stream<Path> files = Files.walk(jre)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                runtime.addEntry(p, AbsoluteUnixPath.get(JAVA_DIR + "/" + jre.relativize(p)),
                        Files.isExecutable(p) ? FilePermissions.fromOctalString("755") : FilePermissions.fromOctalString("644"));
            }
        }
        FileEntriesLayer.Builder system = FileEntriesLayer.builder().setName("glibc");
        for (String lib : libs) {
            system.addEntry(Path.of(lib).toRealPath(), AbsoluteUnixPath.get(lib), FilePermissions.fromOctalString("755"));
        }
        Path etc = Files.createDirectories(work.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0::/root:/bin/false\npier:x:10001:10001::/tmp:/bin/false\n");
        system.addEntry(etc.resolve("passwd"), AbsoluteUnixPath.get("/etc/passwd"));
        // Real JRE images carry a CA bundle, and ONNX Runtime 1.29 needs one: without it, its telemetry start-up
        // calls fclose(NULL) and the JVM dies with SIGSEGV (seen in this test before the bundle was added).
        Path bundle = Path.of("/etc/ssl/certs/ca-certificates.crt");
        if (Files.isReadable(bundle)) {
            system.addEntry(bundle.toRealPath(), AbsoluteUnixPath.get(bundle.toString()), FilePermissions.fromOctalString("644"));
        }

        Path tar = work.resolve("jre-base.tar");
        Jib.fromScratch().addFileEntriesLayer(system.build()).addFileEntriesLayer(runtime.build())
                .addEnvironmentVariable("PATH", JAVA_DIR + "/bin")
                .containerize(Containerizer.to(TarImage.at(tar).named("pier-jre-base:local"))
                        .setBaseImageLayersCache(work.resolve("cache/base")).setApplicationLayersCache(work.resolve("cache/app")));
        return tar;
    }

    static Set<String> sharedLibraries(Path file) throws Exception {
        Process p = new ProcessBuilder("ldd", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        Set<String> libs = new TreeSet<>();
        for (String line : out.split("\n")) {
            int arrow = line.indexOf("=> /");
            if (arrow >= 0) {
                String path = line.substring(arrow + 3).trim().split(" ")[0];
                if (!path.startsWith(file.getParent().toString()) && !path.contains("/jre/")) {
                    libs.add(path);
                }
            }
        }
        return libs;
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }
}
