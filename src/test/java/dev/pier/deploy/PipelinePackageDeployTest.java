package dev.pier.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.TarImage;
import dev.pier.data.MnistFetcher;
import dev.pier.examples.ExampleModels;
import dev.pier.pipeline.PipelineRunner;
import dev.pier.pipeline.RunRecord;
import dev.pier.testsupport.HostTools;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's {@code package} and {@code deploy} stages on a real (imported) MNIST model: a {@code docker load}
 * tarball built by Jib from a base image made here (no registry is reachable), whose config and tags name the
 * published version; Kubernetes and KServe manifests for that image, strictly valid against the shared schemas; both
 * stages cached, and rerun when what they wrote outside the cache is gone.
 */
class PipelinePackageDeployTest {
    @TempDir
    Path dir;

    final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    @BeforeEach
    void baseImageAndModels() throws Exception {
        // an empty base: the image is inspected, not run (ContainerEndToEndTest runs one on a jlink'ed JRE base)
        Jib.fromScratch()
                .containerize(
                        Containerizer.to(TarImage.at(dir.resolve("base.tar")).named("pier-test-base:local"))
                                .setBaseImageLayersCache(dir.resolve(".jib/base"))
                                .setApplicationLayersCache(dir.resolve(".jib/app")));
        ExampleModels.mnistMlp(11).save(dir.resolve("a.onnx"));
        ExampleModels.mnistMlp(12).save(dir.resolve("b.onnx"));
    }

    static String pipeline(String model, String deploy) {
        return "name: digits\n"
                + "data:    {train: \"mnist:train:100\", test: \"mnist:test:200\"}\n"
                + "train:   {model: " + model + "}\n"
                + "publish: {repository: models, model: digits}\n"
                + "package: {image: \"registry.example.com/team/digits:{version}\", to: \"tar:out/digits-{version}.tar\", base: \"tar://base.tar\"}\n"
                + "deploy:\n" + deploy;
    }

    RunRecord run(String yaml) throws Exception {
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, yaml);
        return new PipelineRunner()
                .run(new PipelineRunner.Options(
                        file,
                        Optional.empty(),
                        Optional.empty(),
                        false,
                        false,
                        Optional.empty(),
                        MnistFetcher.defaultDir(),
                        new PrintStream(progress, true, StandardCharsets.UTF_8),
                        false));
    }

    static Map<String, String> statuses(RunRecord r) {
        Map<String, String> m = new LinkedHashMap<>();
        r.stages().forEach(s -> m.put(s.stage(), s.status()));
        return m;
    }

    @Test
    void packagesTheVersionIntoAnImageTarballAndWritesValidKubernetesManifestsOnlyWhenSomethingChanged()
            throws Exception {
        String k8s = "  kubernetes: {out: k8s, autoscale: \"2..10\"}\n";
        RunRecord first = run(pipeline("a.onnx", k8s));
        assertThat(statuses(first))
                .containsEntry("publish", "ran")
                .containsEntry("package", "ran")
                .containsEntry("deploy", "ran");
        assertThat(first.published()).containsEntry("version", 1L);

        Image image = Image.read(dir.resolve("out/digits-1.tar"));
        assertThat(image.tags()).containsExactly("registry.example.com/team/digits:1");
        JsonNode labels = image.config().path("config").path("Labels");
        assertThat(labels.path("org.opencontainers.image.title").asText())
                .isEqualTo("registry.example.com/team/digits:1");
        assertThat(labels.path("dev.pier.models").asText()).isEqualTo("digits");
        assertThat(labels.path("dev.pier.model.digits.versions").asText()).isEqualTo("1");
        assertThat(image.config().path("config").path("Cmd").toString())
                .isEqualTo("[\"serve\",\"--model-repository\",\"/models\"]");
        // the published model's bytes are in the image, where pier serve reads them
        assertThat(image.file("models/digits/1/model.onnx"))
                .isEqualTo(Files.readAllBytes(dir.resolve("models/digits/1/model.onnx")));
        assertThat(image.file("models/digits/1/lineage.json")).isNotNull();
        skopeoSees(dir.resolve("out/digits-1.tar"), "1");

        List<JsonNode> manifests = manifests(dir.resolve("k8s"));
        assertThat(manifests)
                .extracting(m -> m.path("kind").asText())
                .contains("Deployment", "Service", "HorizontalPodAutoscaler");
        for (JsonNode m : manifests) {
            if (m.path("kind").asText().equals("Deployment")) {
                assertThat(m.path("spec")
                                .path("template")
                                .path("spec")
                                .path("containers")
                                .get(0)
                                .path("image")
                                .asText())
                        .isEqualTo("registry.example.com/team/digits:1");
            }
            if (m.path("kind").asText().equals("HorizontalPodAutoscaler")) {
                assertThat(m.path("spec").path("minReplicas").asInt()).isEqualTo(2);
                assertThat(m.path("spec").path("maxReplicas").asInt()).isEqualTo(10);
            }
        }
        validate(manifests);

        // nothing changed: both stages are up to date and write nothing
        long tarModified =
                Files.getLastModifiedTime(dir.resolve("out/digits-1.tar")).toMillis();
        RunRecord again = run(pipeline("a.onnx", k8s));
        assertThat(statuses(again)).containsEntry("package", "up_to_date").containsEntry("deploy", "up_to_date");
        assertThat(Files.getLastModifiedTime(dir.resolve("out/digits-1.tar")).toMillis())
                .isEqualTo(tarModified);

        // a manifest deleted by hand: deploy writes them again, package stays up to date
        try (Stream<Path> files = Files.list(dir.resolve("k8s"))) {
            Files.delete(files.filter(f -> f.toString().endsWith(".yaml"))
                    .findFirst()
                    .orElseThrow());
        }
        RunRecord restored = run(pipeline("a.onnx", k8s));
        assertThat(statuses(restored)).containsEntry("package", "up_to_date").containsEntry("deploy", "ran");
        assertThat(restored.stages().stream()
                        .filter(s -> s.stage().equals("deploy"))
                        .findFirst()
                        .orElseThrow()
                        .reason())
                .isEqualTo("its outputs outside the cache were missing or changed");
        assertThat(manifests(dir.resolve("k8s"))).hasSameSizeAs(manifests);

        // a new model: version 2, its own tarball and tag, manifests naming it
        RunRecord second = run(pipeline("b.onnx", k8s));
        assertThat(second.published()).containsEntry("version", 2L);
        assertThat(statuses(second)).containsEntry("package", "ran").containsEntry("deploy", "ran");
        Image v2 = Image.read(dir.resolve("out/digits-2.tar"));
        assertThat(v2.tags()).containsExactly("registry.example.com/team/digits:2");
        assertThat(v2.config()
                        .path("config")
                        .path("Labels")
                        .path("dev.pier.model.digits.versions")
                        .asText())
                .isEqualTo("2");
        assertThat(Files.readString(dir.resolve("k8s").resolve(deploymentFile(dir.resolve("k8s")))))
                .contains("registry.example.com/team/digits:2")
                .doesNotContain("digits:1");
    }

    @Test
    void kserveCanaryWritesAServingRuntimeAndAnInferenceServiceWithTheCanaryShare() throws Exception {
        String kserve = "  kserve: {out: kserve, canary: 10, autoscale: \"1..4\"}\n";
        RunRecord first = run(pipeline("a.onnx", kserve));
        assertThat(statuses(first)).containsEntry("deploy", "ran");
        List<JsonNode> manifests = manifests(dir.resolve("kserve"));
        assertThat(manifests)
                .extracting(m -> m.path("kind").asText())
                .containsExactly("ServingRuntime", "InferenceService");
        validate(manifests);
        JsonNode runtime = manifests.get(0).path("spec").path("containers").get(0);
        assertThat(runtime.path("image").asText()).isEqualTo("registry.example.com/team/digits:1");
        assertThat(runtime.path("args").toString()).contains("/models"); // the models baked into the image
        JsonNode predictor = manifests.get(1).path("spec").path("predictor");
        assertThat(predictor.path("canaryTrafficPercent").asInt()).isEqualTo(10);
        assertThat(predictor.path("minReplicas").asInt()).isEqualTo(1);
        assertThat(predictor.path("maxReplicas").asInt()).isEqualTo(4);
        assertThat(predictor.path("model").path("runtime").asText()).isEqualTo("pier-runtime");

        assertThat(statuses(run(pipeline("a.onnx", kserve)))).containsEntry("deploy", "up_to_date");

        // the next version: KServe gives the new revision 10 % of the traffic
        RunRecord second = run(pipeline("b.onnx", kserve));
        assertThat(second.published()).containsEntry("version", 2L);
        List<JsonNode> next = manifests(dir.resolve("kserve"));
        validate(next);
        assertThat(next.get(0)
                        .path("spec")
                        .path("containers")
                        .get(0)
                        .path("image")
                        .asText())
                .isEqualTo("registry.example.com/team/digits:2");
        assertThat(next.get(1)
                        .path("spec")
                        .path("predictor")
                        .path("canaryTrafficPercent")
                        .asInt())
                .isEqualTo(10);

        // both targets at once need two folders: each writer clears what it wrote before
        Files.writeString(
                dir.resolve("pipeline.yaml"),
                pipeline("b.onnx", kserve.replace("out: kserve", "out: k8s") + "  kubernetes: {out: k8s}\n"));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> dev.pier.pipeline.PipelineParser.parse(dir.resolve("pipeline.yaml")))
                .hasMessageContaining("'deploy.kserve.out': expected a folder other than deploy.kubernetes.out");
    }

    /** A second reader of the archive, where installed: skopeo inspects it as {@code docker load} would take it. */
    private static void skopeoSees(Path tar, String version) throws Exception {
        if (!HostTools.installed("skopeo")) {
            System.err.println("skopeo not installed: the image tarball is read with plain Java only");
            return;
        }
        Process p = new ProcessBuilder("skopeo", "inspect", "--config", "docker-archive:" + tar)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        JsonNode config = new ObjectMapper().readTree(out);
        assertThat(config.path("config")
                        .path("Labels")
                        .path("dev.pier.model.digits.versions")
                        .asText())
                .isEqualTo(version);
    }

    /** Strictly, when the shared schemas are there; the rest of the test runs either way. */
    private static void validate(List<JsonNode> manifests) {
        if (!Files.isDirectory(StrictSchemas.ROOT.resolve("k8s-1.35"))
                || !Files.isDirectory(StrictSchemas.ROOT.resolve("kserve"))) {
            System.err.println("Kubernetes/KServe schemas not found at " + StrictSchemas.ROOT
                    + ": strict manifest validation skipped");
            return;
        }
        for (JsonNode m : manifests) {
            assertThat(StrictSchemas.validate(m)).as(m.path("kind").asText()).isEmpty();
        }
    }

    private static List<JsonNode> manifests(Path folder) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                out.add(StrictSchemas.readYaml(f));
            }
        }
        return out;
    }

    private static String deploymentFile(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.contains("deployment"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    /** A {@code docker load} tarball read with plain Java: its tags, its config, and the files under models/. */
    record Image(List<String> tags, JsonNode config, Map<String, byte[]> files) {
        byte[] file(String path) {
            return files.get(path);
        }

        static Image read(Path tar) throws IOException {
            assertThat(tar).isRegularFile();
            Map<String, byte[]> entries = entries(Files.newInputStream(tar), false);
            ObjectMapper json = new ObjectMapper();
            JsonNode manifest = json.readTree(entries.get("manifest.json")).get(0);
            List<String> tags = new ArrayList<>();
            manifest.path("RepoTags").forEach(t -> tags.add(t.asText()));
            JsonNode config = json.readTree(entries.get(manifest.path("Config").asText()));
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (JsonNode layer : manifest.path("Layers")) {
                // the models' layers; the dependency jars (ONNX Runtime ...) are not read into memory
                entries(new ByteArrayInputStream(entries.get(layer.asText())), true)
                        .forEach((name, bytes) -> {
                            if (name.startsWith("models/")) {
                                files.put(name, bytes);
                            }
                        });
            }
            return new Image(tags, config, files);
        }

        private static Map<String, byte[]> entries(InputStream raw, boolean gzipped) throws IOException {
            Map<String, byte[]> out = new LinkedHashMap<>();
            try (InputStream in = gzipped ? new GZIPInputStream(raw) : raw;
                    TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                    if (e.isFile()) {
                        out.put(e.getName().replaceFirst("^\\./", "").replaceFirst("^/", ""), tar.readAllBytes());
                    }
                }
            }
            return out;
        }
    }
}
