package dev.pier.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.TarImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Builds real images into tarballs from a locally made base ({@code tar://}), no daemon or registry, and
 * inspects them with plain Java. Running the image (podman) and pushing (a registry) are not covered here.
 */
class ImagePackagerTest {

    @TempDir
    Path tmp;

    Path base;
    Path models;
    Path classes;
    Path picocliJar;
    Path trainingOnlyJar;

    @BeforeEach
    void setUp() throws Exception {
        base = tmp.resolve("base.tar");
        Jib.fromScratch()
                .containerize(Containerizer.to(TarImage.at(base).named("pier-test-base:local"))
                        .setBaseImageLayersCache(tmp.resolve("cache/base"))
                        .setApplicationLayersCache(tmp.resolve("cache/app")));
        models = tmp.resolve("models");
        writeModel("mnist", 1, 11);
        writeModel("mnist", 2, 12);
        writeModel("iris", 1, 21);
        Files.writeString(models.resolve("mnist/config.yaml"), "name: mnist\nmax_batch_size: 8\n");
        classes = tmp.resolve("classes");
        Files.createDirectories(classes.resolve("dev/pier/cli"));
        Files.write(classes.resolve("dev/pier/cli/PierCli.class"), new byte[] {(byte) 0xCA, (byte) 0xFE, 0, 1});
        trainingOnlyJar = Files.write(tmp.resolve("pytorch-native-cpu-2.7.1-linux-x86_64.jar"), new byte[] {1, 2, 3});
        picocliJar = Path.of(CommandLine.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    }

    private void writeModel(String name, int version, long seed) throws Exception {
        Path dir = Files.createDirectories(models.resolve(name + "/" + version));
        byte[] bytes = new byte[4096];
        new Random(seed).nextBytes(bytes);
        Files.write(dir.resolve("model.onnx"), bytes);
    }

    private ImageTarball build(Path out) throws Exception {
        new ImagePackager()
                .build(new PackageOptions(
                        models,
                        "localhost:5000/team/mnist:1",
                        "tar://" + base,
                        new PackageOptions.Target.Tar(out),
                        List.of(classes, picocliJar, trainingOnlyJar)));
        return ImageTarball.read(out);
    }

    @Test
    void imageHasOrderedLayersNonRootUserPortsEntrypointAndModelLabels() throws Exception {
        ImageTarball image = build(tmp.resolve("out/image.tar"));
        assertThat(Files.getPosixFilePermissions(tmp.resolve("out/image.tar")))
                .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
        JsonNode cfg = image.config().path("config");
        assertThat(cfg.path("User").asText()).isEqualTo("10001:10001");
        assertThat(fieldNames(cfg.path("ExposedPorts"))).containsExactlyInAnyOrder("8501/tcp", "8500/tcp");
        assertThat(cfg.path("Entrypoint").toString())
                .contains("\"java\"")
                .endsWith("\"dev.pier.cli.PierCli\"]")
                // class-data sharing: the archive written in /tmp when a container exits speeds up its restart
                .contains(
                        "\"-XX:+AutoCreateSharedArchive\"",
                        "\"-XX:SharedArchiveFile=/tmp/pier-serve.jsa\"",
                        "\"-cp\",\"/app/classes/pier.jar:/app/libs/*\"");
        assertThat(cfg.path("Cmd").toString()).isEqualTo("[\"serve\",\"--model-repository\",\"/models\"]");
        JsonNode labels = cfg.path("Labels");
        assertThat(labels.path("dev.pier.models").asText()).isEqualTo("iris,mnist");
        // only what pier serve serves: mnist's default version policy (latest 1) serves version 2
        assertThat(labels.path("dev.pier.model.mnist.versions").asText()).isEqualTo("2");
        assertThat(labels.path("dev.pier.model.iris.versions").asText()).isEqualTo("1");
        assertThat(labels.path("dev.pier.model.mnist.sha256").asText())
                .matches("[0-9a-f]{64}")
                .isNotEqualTo(labels.path("dev.pier.model.iris.sha256").asText());

        // the scratch base has no layers: dependencies, classes, then one layer per model, in that order;
        // PyTorch's native jar (training only) is left out
        List<Map<String, byte[]>> layers = image.layers();
        assertThat(layers).hasSize(4);
        assertThat(layers.get(0)).containsOnlyKeys("app/libs/" + picocliJar.getFileName());
        assertThat(layers.get(0).get("app/libs/" + picocliJar.getFileName())).isEqualTo(Files.readAllBytes(picocliJar));
        // Pier's classes as one jar (class-data sharing archives jars only), the same bytes for the same classes
        assertThat(layers.get(1)).containsOnlyKeys("app/classes/pier.jar");
        byte[] pierJar = layers.get(1).get("app/classes/pier.jar");
        try (java.util.zip.ZipInputStream zip =
                new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(pierJar))) {
            java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
            for (java.util.zip.ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                entries.put(e.getName(), zip.readAllBytes());
            }
            assertThat(entries).containsOnlyKeys("dev/", "dev/pier/", "dev/pier/cli/", "dev/pier/cli/PierCli.class");
            assertThat(entries.get("dev/pier/cli/PierCli.class"))
                    .isEqualTo(Files.readAllBytes(classes.resolve("dev/pier/cli/PierCli.class")));
        }
        assertThat(Files.readAllBytes(ClassesJar.of(classes)))
                .as("reproducible")
                .isEqualTo(pierJar);
        assertThat(layers.get(2)).containsOnlyKeys("models/iris/1/model.onnx");
        assertThat(layers.get(3)).containsOnlyKeys("models/mnist/config.yaml", "models/mnist/2/model.onnx");
        assertThat(layers.get(3).get("models/mnist/2/model.onnx"))
                .isEqualTo(Files.readAllBytes(models.resolve("mnist/2/model.onnx")));
    }

    /** Issue 19 item 7: a serving-only image (served versions, no HTML reports) created now, not in 1970. */
    @Test
    void servingOnlyContentAndACurrentCreationTime() throws Exception {
        java.time.Instant before = java.time.Instant.now().minusSeconds(60);
        Files.writeString(models.resolve("mnist/2/evaluation.html"), "<html></html>");
        Files.writeString(models.resolve("mnist/2/model.profile.json"), "{}");
        ImageTarball image = build(tmp.resolve("served.tar"));
        assertThat(java.time.Instant.parse(image.config().path("created").asText()))
                .isAfter(before);
        assertThat(image.layers().get(3))
                .containsOnlyKeys(
                        "models/mnist/config.yaml", "models/mnist/2/model.onnx", "models/mnist/2/model.profile.json");

        Path all = tmp.resolve("all.tar");
        new ImagePackager()
                .build(new PackageOptions(
                        models,
                        "localhost:5000/team/mnist:1",
                        "tar://" + base,
                        new PackageOptions.Target.Tar(all),
                        List.of(classes, picocliJar),
                        true));
        ImageTarball everything = ImageTarball.read(all);
        assertThat(everything
                        .config()
                        .path("config")
                        .path("Labels")
                        .path("dev.pier.model.mnist.versions")
                        .asText())
                .isEqualTo("1,2");
        assertThat(everything.layers().get(3))
                .containsKey("models/mnist/1/model.onnx")
                .doesNotContainKey("models/mnist/2/evaluation.html");
    }

    @Test
    void anUnreachableBaseRegistryGetsAnOfflineHint() {
        String hint = ImagePackager.offlineHint(
                new RuntimeException(
                        "I/O error for image [registry-1.docker.io/library/x]",
                        new java.net.UnknownHostException("registry-1.docker.io")),
                "eclipse-temurin:21-jre");
        assertThat(hint)
                .contains("cannot be reached")
                .contains("--base docker://REF")
                .contains("--base tar://FILE");
        assertThat(ImagePackager.offlineHint(new java.net.UnknownHostException("x"), "tar:///tmp/base.tar"))
                .isEmpty();
        assertThat(ImagePackager.offlineHint(new IllegalStateException("disk full"), "eclipse-temurin:21-jre"))
                .isEmpty();
    }

    @Test
    void changingOneModelChangesOnlyItsLayerAndLabel() throws Exception {
        ImageTarball before = build(tmp.resolve("a.tar"));
        writeModel("mnist", 2, 99);
        ImageTarball after = build(tmp.resolve("b.tar"));
        List<String> diffBefore = diffIds(before);
        List<String> diffAfter = diffIds(after);
        assertThat(diffAfter.subList(0, 3)).isEqualTo(diffBefore.subList(0, 3));
        assertThat(diffAfter.get(3)).isNotEqualTo(diffBefore.get(3));
        JsonNode lb = before.config().path("config").path("Labels");
        JsonNode la = after.config().path("config").path("Labels");
        assertThat(la.path("dev.pier.model.iris.sha256")).isEqualTo(lb.path("dev.pier.model.iris.sha256"));
        assertThat(la.path("dev.pier.model.mnist.sha256")).isNotEqualTo(lb.path("dev.pier.model.mnist.sha256"));
    }

    @Test
    void badInputsAreNamed() {
        assertThatThrownBy(() -> PackageOptions.parseTarget("oci:x")).hasMessageContaining("'oci:x'");
        assertThatThrownBy(() -> ModelRepositoryScan.scan(tmp.resolve("nope"))).hasMessageContaining("nope");
        assertThatThrownBy(() -> new ImagePackager()
                        .build(new PackageOptions(
                                models,
                                "UPPER CASE",
                                "tar://" + base,
                                new PackageOptions.Target.Tar(tmp.resolve("x.tar")),
                                List.of(classes))))
                .hasMessageContaining("--image")
                .hasMessageContaining("UPPER CASE");
        assertThat(tmp.resolve("x.tar")).doesNotExist();
    }

    @Test
    void dockerfileCopiesEachModelAsItsOwnLayer() throws Exception {
        String dockerfile = DockerfileWriter.render(
                tmp, models, "reg/team/mnist:1", "eclipse-temurin:21-jre", ModelRepositoryScan.scan(models));
        assertThat(dockerfile)
                .contains("FROM maven:")
                .contains("AS build")
                .contains("FROM eclipse-temurin:21-jre")
                .contains("COPY models/iris/ /models/iris/")
                .contains("COPY models/mnist/ /models/mnist/")
                .contains("USER 10001:10001")
                .contains("EXPOSE 8501 8500")
                .contains("CMD [\"serve\", \"--model-repository\", \"/models\"]")
                .contains("jar --create --file target/pier.jar -C target/classes .")
                .contains("COPY --from=build /src/target/pier.jar /app/classes/pier.jar");
        assertThat(dockerfile.indexOf("/app/libs/")).isLessThan(dockerfile.indexOf("/app/classes/"));
        assertThat(dockerfile.indexOf("/app/classes/")).isLessThan(dockerfile.indexOf("COPY models/"));
        assertThatThrownBy(() -> DockerfileWriter.render(
                        tmp.resolve("elsewhere"), models, "i", "b", ModelRepositoryScan.scan(models)))
                .hasMessageContaining("build context");
    }

    private static List<String> diffIds(ImageTarball t) {
        List<String> ids = new ArrayList<>();
        t.config().path("rootfs").path("diff_ids").forEach(n -> ids.add(n.asText()));
        return ids;
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
