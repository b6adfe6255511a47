package dev.pier.packaging;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The file layout, layers, entrypoint and labels of a Pier image, independent of how it is built (Jib here,
 * a Dockerfile in {@link DockerfileWriter}). Layers go from least to most often changed: dependency jars, Pier's
 * classes, then one layer per model, so a new model version re-pushes one layer. Stateless.
 */
public final class ImageLayout {

    public static final String APP_DIR = "/app";
    public static final String LIBS_DIR = APP_DIR + "/libs";
    public static final String CLASSES_DIR = APP_DIR + "/classes";
    /**
     * Pier's own classes, as one jar: the JVM's class-data sharing archives classes from jars only (a non-empty
     * directory on the class path makes the archive dump fail), see {@link #entrypoint()}.
     */
    public static final String CLASSES_JAR = CLASSES_DIR + "/pier.jar";
    /** The jar {@code bin/pier} builds of target/classes; packaged as {@link #CLASSES_JAR}. */
    static final String LAUNCHER_CLASSES_JAR = "pier-classes.jar";
    /**
     * Where the container's JVM writes its class-data sharing archive when it exits, and reads it at the next
     * start: /tmp, the one place a read-only root file system leaves writable (an emptyDir in Kubernetes, which
     * outlives a container's restart within its pod).
     */
    public static final String CDS_ARCHIVE = "/tmp/pier-serve.jsa";

    public static final String MODELS_DIR = "/models";
    public static final String USER = "10001:10001";
    public static final List<Integer> PORTS = List.of(8501, 8500);
    public static final String MAIN_CLASS = "dev.pier.cli.PierCli";
    /**
     * Jars a serving image leaves out, by file-name prefix: the code of commands an image never runs. PyTorch's
     * native library (over 100 MB) and DJL's PyTorch engine serve only {@code pier train} and {@code compress};
     * fabric8's Kubernetes client and models only {@code pier deploy}; Jib and its HTTP stack only
     * {@code pier package}. The CLI builds only the subcommand it runs, so {@code serve} never loads them
     * (ServingImageClasspathTest serves and answers on exactly this classpath).
     */
    public static final List<String> SERVING_EXCLUDED_JAR_PREFIXES = List.of(
            "pytorch-native-",
            "pytorch-jni-",
            "pytorch-engine-",
            "kubernetes-",
            "zjsonpatch-",
            "snakeyaml-engine-",
            "jib-",
            "google-http-client",
            "httpclient-4",
            "httpcore-4");

    /** Whether a jar (by file name) goes into a serving image. */
    public static boolean servingJar(String fileName) {
        return SERVING_EXCLUDED_JAR_PREFIXES.stream().noneMatch(fileName::startsWith);
    }
    /** Label holding the comma-separated model names; per model, {@code dev.pier.model.<name>.*} labels follow. */
    public static final String MODELS_LABEL = "dev.pier.models";

    private ImageLayout() {}

    /** {@code java ... PierCli}; the arguments ({@link #arguments()}) are kept apart so Kubernetes can replace them. */
    /**
     * Environment of the serving container. ONNX Runtime 1.29 starts a telemetry uploader on Linux; a
     * model server must not send data home, and in images without {@code /etc/machine-id} that start-up
     * crashes the JVM (SIGSEGV in fclose, seen under podman), so it is switched off.
     */
    public static java.util.Map<String, String> environment() {
        return java.util.Map.of("ORT_DISABLE_TELEMETRY", "1");
    }

    /**
     * Generational ZGC: under MNIST load G1 and Parallel stop the server for 30-130 ms and more, ZGC's pauses
     * stay under 0.1 ms (docs/benchmarks.md, "Collector"). {@code -XX:+ZGenerational} selects the generational
     * mode on the default JDK 21 base; JDK 23+ only warn that it is obsolete (generational is the only mode).
     */
    public static List<String> entrypoint() {
        return List.of(
                "java",
                "--enable-native-access=ALL-UNNAMED",
                "-XX:MaxRAMPercentage=70",
                "-XX:+UseZGC",
                "-XX:+ZGenerational",
                // class-data sharing (JDK 19+, so the JDK 21 base): the first start of a container runs without an
                // archive and writes one to /tmp as it exits; a restart that finds it starts with Pier's and its
                // libraries' classes already parsed and verified (docs/benchmarks.md, "Cold start"). An archive
                // that cannot be written (no /tmp) or does not fit (another JDK) only costs that speed-up.
                "-XX:+AutoCreateSharedArchive",
                "-XX:SharedArchiveFile=" + CDS_ARCHIVE,
                "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off",
                "-cp",
                CLASSES_JAR + ":" + LIBS_DIR + "/*",
                MAIN_CLASS);
    }

    public static List<String> arguments() {
        return List.of("serve", "--model-repository", MODELS_DIR);
    }

    /** The layers: dependencies, classes, then each model (named {@code model:<name>}). */
    public static List<FileEntriesLayer> layers(List<Path> classpath, List<PackagedModel> models) throws IOException {
        FileEntriesLayer.Builder deps = FileEntriesLayer.builder().setName("dependencies");
        FileEntriesLayer.Builder classes = FileEntriesLayer.builder().setName("classes");
        Set<String> jarNames = new HashSet<>();
        List<Path> classDirs = classpath.stream().filter(Files::isDirectory).toList();
        if (!classDirs.isEmpty()) {
            classes.addEntry(ClassesJar.of(classDirs), AbsoluteUnixPath.get(CLASSES_JAR));
        }
        for (Path entry : classpath) {
            if (Files.isDirectory(entry)) {
                continue; // in the classes jar
            } else if (classDirs.isEmpty()
                    && Files.isRegularFile(entry)
                    && entry.getFileName().toString().equals(LAUNCHER_CLASSES_JAR)) {
                classes.addEntry(entry, AbsoluteUnixPath.get(CLASSES_JAR));
            } else if (Files.isRegularFile(entry)
                    && entry.getFileName().toString().endsWith(".jar")) {
                String name = entry.getFileName().toString();
                if (!servingJar(name)) {
                    continue;
                }
                if (!jarNames.add(name)) {
                    // two jars of one file name (different groups): keep both, apart
                    name = entry.getParent().getFileName() + "-" + name;
                    jarNames.add(name);
                }
                deps.addEntry(entry, AbsoluteUnixPath.get(LIBS_DIR + "/" + name));
            } else if (!Files.exists(entry)) {
                throw new java.nio.file.NoSuchFileException(entry.toString(), null, "classpath entry to package");
            }
        }
        List<FileEntriesLayer> layers = new ArrayList<>(List.of(deps.build(), classes.build()));
        for (PackagedModel m : models) {
            FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("model:" + m.name());
            for (Path rel : m.files()) {
                layer.addEntry(
                        m.directory().resolve(rel),
                        AbsoluteUnixPath.get(MODELS_DIR + "/" + m.name() + "/" + ModelRepositoryScan.unix(rel)));
            }
            layers.add(layer.build());
        }
        return layers;
    }

    /** OCI annotations plus Pier's model labels. */
    public static Map<String, String> labels(String image, String base, List<PackagedModel> models) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("org.opencontainers.image.title", image);
        labels.put(
                "org.opencontainers.image.description",
                "Pier inference server (KServe V2 REST :8501, gRPC " + ":8500) serving "
                        + models.stream().map(PackagedModel::name).collect(Collectors.joining(", ")));
        labels.put("org.opencontainers.image.base.name", base);
        labels.put(MODELS_LABEL, models.stream().map(PackagedModel::name).collect(Collectors.joining(",")));
        for (PackagedModel m : models) {
            String prefix = "dev.pier.model." + m.name() + ".";
            labels.put(
                    prefix + "versions",
                    m.versions().stream().map(String::valueOf).collect(Collectors.joining(",")));
            labels.put(prefix + "sha256", m.sha256());
        }
        return labels;
    }
}
