package dev.pier.packaging;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import dev.pier.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * {@code --base jre:local}: a base image made on this machine, with no registry. A Java runtime {@code jlink}ed
 * from the JDK running Pier with only the modules the serving classpath needs ({@link RuntimeModules}), on a
 * scratch root holding exactly the host's shared libraries that the runtime and ONNX Runtime's native library
 * link against ({@link HostLibraries}), plus {@code /etc/passwd} for the image's user, the CA bundle and an empty
 * {@code /tmp} (ONNX Runtime unpacks its native library there). No distribution, so no shell and no package
 * manager; the price is that the image runs only on the host's CPU architecture and needs a kernel that the
 * host's glibc accepts, as any glibc binary does.
 *
 * <p>Everything is cached under {@code ~/.cache/pier/jre-local}: the module list by the classpath's files (jdeps
 * takes 10-40 s), the runtime by JDK and module list, the base tarball by runtime and library set. A second
 * package run reuses all three. Thread-safe: each result is built in a private temporary folder and moved into
 * place; a concurrent build of the same key keeps whichever finished first.
 */
public final class LocalRuntimeBase {
    /** The {@code --base} value that selects this base. */
    public static final String SPEC = "jre:local";
    /** Where the runtime lives in the image; {@code PATH} points at its {@code bin}. */
    static final String JAVA_DIR = "/opt/java";
    /**
     * jlink's size options: no debug symbols, headers or man pages; zip-6 is the documented name on JDK 21+. The
     * excluded files are java.desktop's X11, sound and splash-screen natives: a server without a display runs
     * AWT headless (ImageIO decodes request images) and never loads them, and they alone would drag a dozen X11
     * libraries from the host into the image.
     */
    static final List<String> JLINK_OPTIONS = List.of(
            "--strip-debug",
            "--no-header-files",
            "--no-man-pages",
            "--compress=zip-6",
            "--exclude-files=**/libawt_xawt.so,**/libsplashscreen.so,**/libjawt.so,**/libjsound.so");
    /** Changes whenever the base's layout changes, so old cache entries are not reused. */
    private static final int LAYOUT = 1;

    /**
     * What was built.
     *
     * @param tarball  the base image, a {@code docker load}-format tar for Jib's {@code tar://} base
     * @param modules  the linked JDK modules
     * @param libraries host libraries copied into the image, by absolute path
     */
    public record Built(Path tarball, Set<String> modules, Set<String> libraries) {}

    private final Path cache;
    private final Consumer<String> progress;

    /** @param cache folder for the cached modules, runtimes and tarballs ({@link #defaultCache()}) */
    public LocalRuntimeBase(Path cache, Consumer<String> progress) {
        this.cache = cache;
        this.progress = progress;
    }

    /** {@code ~/.cache/pier/jre-local}. */
    public static Path defaultCache() {
        return Path.of(System.getProperty("user.home"), ".cache", "pier", "jre-local");
    }

    /** The base image for a serving classpath (directories and the jars that go into the image). */
    public Built build(List<Path> servingClasspath) throws IOException, InterruptedException {
        Files.createDirectories(cache);
        Set<String> modules = modules(servingClasspath);
        String runtimeKey = digest(jdk() + "\n" + String.join(",", modules) + "\n" + JLINK_OPTIONS + "\n" + LAYOUT);
        Path runtime = runtime(runtimeKey, modules);

        Path natives = Files.createDirectories(cache.resolve("onnxruntime-natives"));
        List<Path> nativeFiles = new ArrayList<>(HostLibraries.nativeFilesOf(runtime));
        nativeFiles.addAll(onnxRuntimeNatives(servingClasspath, natives));
        Set<String> libraries = HostLibraries.of(nativeFiles, runtime);
        StringBuilder libKey = new StringBuilder(runtimeKey);
        for (String lib : libraries) {
            libKey.append('\n').append(lib).append(' ').append(Files.size(Path.of(lib)));
        }
        Path tarball = cache.resolve(runtimeKey)
                .resolve("base-" + digest(libKey.toString()).substring(0, 16) + ".tar");
        if (!Files.isRegularFile(tarball)) {
            progress.accept("jre:local: writing the base image (" + libraries.size() + " host libraries, runtime "
                    + megabytes(runtime) + ")");
            writeTarball(runtime, libraries, tarball, runtimeKey);
        }
        return new Built(tarball, modules, libraries);
    }

    /** The module list, cached by the classpath's file names, sizes and times (jdeps is the slow step). */
    private Set<String> modules(List<Path> classpath) throws IOException, InterruptedException {
        StringBuilder key = new StringBuilder(jdk())
                .append('\n')
                .append(RuntimeModules.ALWAYS)
                .append('\n');
        for (Path entry : classpath) {
            try (Stream<Path> files = Files.isDirectory(entry) ? Files.walk(entry) : Stream.of(entry)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    key.append(f)
                            .append(' ')
                            .append(Files.size(f))
                            .append(' ')
                            .append(Files.getLastModifiedTime(f).toMillis())
                            .append('\n');
                }
            }
        }
        Path cached = cache.resolve("modules-" + digest(key.toString()) + ".txt");
        if (Files.isRegularFile(cached)) {
            return new TreeSet<>(List.of(Files.readString(cached).strip().split(",")));
        }
        progress.accept(
                "jre:local: finding the JDK modules the serving classpath needs with jdeps (cached after this run)");
        Set<String> modules = RuntimeModules.find(classpath);
        AtomicFiles.writeString(cached, String.join(",", modules) + "\n");
        return modules;
    }

    /** The jlink'ed runtime for these modules, built once per JDK and module list. */
    private Path runtime(String key, Set<String> modules) throws IOException, InterruptedException {
        Path runtime = cache.resolve(key).resolve("runtime");
        if (Files.isRegularFile(runtime.resolve("release"))) {
            return runtime;
        }
        progress.accept("jre:local: linking a Java " + Runtime.version().feature() + " runtime with jlink: "
                + String.join(",", modules));
        Files.createDirectories(runtime.getParent());
        Path tmp = Files.createTempDirectory(runtime.getParent(), "runtime-");
        Path out = tmp.resolve("runtime");
        try {
            List<String> command = new ArrayList<>(List.of(
                    JdkTool.of("jlink").toString(),
                    "--add-modules",
                    String.join(",", modules),
                    "--output",
                    out.toString()));
            command.addAll(JLINK_OPTIONS);
            JdkTool.run(command);
            try {
                Files.move(out, runtime, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException builtMeanwhile) {
                // another build of the same key finished first; theirs is identical
            }
        } finally {
            deleteTree(tmp);
        }
        return runtime;
    }

    /** ONNX Runtime's native libraries for this platform, unpacked from its jar so that ldd can read them. */
    private static List<Path> onnxRuntimeNatives(List<Path> classpath, Path dir) throws IOException {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String prefix =
                "ai/onnxruntime/native/linux-" + (arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch) + "/";
        List<Path> found = new ArrayList<>();
        for (Path jar : classpath) {
            if (!Files.isRegularFile(jar) || !jar.getFileName().toString().startsWith("onnxruntime")) {
                continue;
            }
            try (JarFile jf = new JarFile(jar.toFile())) {
                for (var e : jf.stream()
                        .filter(e ->
                                e.getName().startsWith(prefix) && e.getName().endsWith(".so"))
                        .toList()) {
                    Path target = dir.resolve(Path.of(e.getName()).getFileName().toString());
                    if (!Files.isRegularFile(target) || Files.size(target) != e.getSize()) {
                        try (InputStream in = jf.getInputStream(e)) {
                            AtomicFiles.write(target, in.readAllBytes());
                        }
                    }
                    found.add(target);
                }
            }
        }
        if (found.isEmpty()) {
            throw new IOException("--base jre:local: no ONNX Runtime native library for linux/" + arch
                    + " on the classpath (an onnxruntime-*.jar with " + prefix + "*.so)");
        }
        return found;
    }

    /** Two layers on scratch: the host libraries and a few /etc files, then the runtime. */
    private static void writeTarball(Path runtime, Set<String> libraries, Path tarball, String key)
            throws IOException, InterruptedException {
        Path work = Files.createTempDirectory(tarball.getParent(), "base-");
        try {
            FileEntriesLayer.Builder system = FileEntriesLayer.builder().setName("host-libraries");
            for (String lib : libraries) {
                // the file behind the symlink, at the path the loader looks for (libstdc++.so.6, not .so.6.0.33)
                system.addEntry(
                        Path.of(lib).toRealPath(), AbsoluteUnixPath.get(lib), FilePermissions.fromOctalString("755"));
            }
            Path passwd = Files.writeString(
                    work.resolve("passwd"),
                    "root:x:0:0:root:/root:/sbin/nologin\npier:x:10001:10001:pier:/tmp:/sbin/nologin\n");
            Path group = Files.writeString(work.resolve("group"), "root:x:0:\npier:x:10001:\n");
            system.addEntry(passwd, AbsoluteUnixPath.get("/etc/passwd"), FilePermissions.fromOctalString("644"));
            system.addEntry(group, AbsoluteUnixPath.get("/etc/group"), FilePermissions.fromOctalString("644"));
            // a JRE image carries a CA bundle; ONNX Runtime 1.29's telemetry start-up crashed the JVM without one
            Path bundle = Path.of("/etc/ssl/certs/ca-certificates.crt");
            if (Files.isReadable(bundle)) {
                system.addEntry(
                        bundle.toRealPath(),
                        AbsoluteUnixPath.get(bundle.toString()),
                        FilePermissions.fromOctalString("644"));
            }
            // writable by the image's user unless the container mounts a tmpfs there (Jib has no sticky bit)
            Path tmp = Files.createDirectories(work.resolve("tmp"));
            system.addEntry(tmp, AbsoluteUnixPath.get("/tmp"), FilePermissions.fromOctalString("777"));

            FileEntriesLayer.Builder java = FileEntriesLayer.builder().setName("jre");
            try (Stream<Path> files = Files.walk(runtime)) {
                for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                    java.addEntry(
                            p,
                            AbsoluteUnixPath.get(JAVA_DIR + "/" + ModelRepositoryScan.unix(runtime.relativize(p))),
                            FilePermissions.fromOctalString(Files.isExecutable(p) ? "755" : "644"));
                }
            }
            Path tmpTar = work.resolve("base.tar");
            Jib.fromScratch()
                    .addFileEntriesLayer(system.build())
                    .addFileEntriesLayer(java.build())
                    .addEnvironmentVariable("PATH", JAVA_DIR + "/bin:/usr/bin:/bin")
                    .addEnvironmentVariable("JAVA_HOME", JAVA_DIR)
                    .setFormat(ImageFormat.Docker)
                    .containerize(Containerizer.to(TarImage.at(tmpTar).named("pier-jre-local:" + key.substring(0, 12)))
                            .setToolName("pier")
                            .setApplicationLayersCache(work.resolve("cache")));
            AtomicFiles.publish(tmpTar, tarball);
        } catch (ExecutionException
                | com.google.cloud.tools.jib.api.RegistryException
                | com.google.cloud.tools.jib.api.CacheDirectoryCreationException
                | com.google.cloud.tools.jib.api.InvalidImageReferenceException e) {
            throw new IOException("writing the jre:local base image failed: " + e.getMessage(), e);
        } finally {
            deleteTree(work);
        }
    }

    /** The JDK that runs Pier and links the runtime: its home and exact version. */
    private static String jdk() {
        return System.getProperty("java.home") + " " + System.getProperty("java.runtime.version");
    }

    private static String megabytes(Path dir) throws IOException {
        long bytes = 0;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                bytes += Files.size(p);
            }
        }
        return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }

    private static String digest(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
