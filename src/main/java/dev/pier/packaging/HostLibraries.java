package dev.pier.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The host's shared libraries that native code links against, found with {@code ldd}: the C and C++ runtimes
 * (glibc, libstdc++, libgcc_s, the dynamic loader) that the JVM and ONNX Runtime need in an image without a
 * distribution. Libraries inside {@code skipUnder} (the runtime's own) and unresolved ones (ONNX Runtime's JNI
 * finds its core library itself at load time) are left out. Stateless.
 */
final class HostLibraries {

    private HostLibraries() {}

    /** Absolute paths of every library the given files link against, directly or indirectly (ldd lists both). */
    static Set<String> of(Collection<Path> nativeFiles, Path skipUnder) throws IOException, InterruptedException {
        Set<String> libs = new TreeSet<>();
        for (Path file : nativeFiles) {
            libs.addAll(parse(JdkTool.run(List.of("ldd", file.toString())), skipUnder));
        }
        return libs;
    }

    /**
     * Reads {@code ldd} lines: {@code libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x...)} and the loader's own
     * {@code /lib64/ld-linux-x86-64.so.2 (0x...)}; {@code linux-vdso.so.1} lives in the kernel.
     */
    static Set<String> parse(String lddOutput, Path skipUnder) {
        Set<String> libs = new TreeSet<>();
        for (String line : lddOutput.split("\n")) {
            String l = line.strip();
            int arrow = l.indexOf("=> ");
            String path = arrow >= 0 ? l.substring(arrow + 3) : l;
            path = path.split(" ")[0];
            if (path.startsWith("/") && !Path.of(path).toAbsolutePath().startsWith(skipUnder.toAbsolutePath())) {
                libs.add(path);
            }
        }
        return libs;
    }

    /** The {@code .so} files under {@code dir} and its {@code bin/java}, the natives a runtime image loads. */
    static List<Path> nativeFilesOf(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".so") || p.endsWith(Path.of("bin", "java")))
                    .sorted()
                    .toList();
        }
    }
}
