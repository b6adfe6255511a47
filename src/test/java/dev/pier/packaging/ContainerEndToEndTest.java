package dev.pier.packaging;

import static dev.pier.testsupport.HostTools.freePort;
import static dev.pier.testsupport.HostTools.installed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.bench.RandomInputs;
import dev.pier.examples.ExampleModels;
import dev.pier.runtime.ModelSession;
import dev.pier.runtime.SessionOptions;
import dev.pier.runtime.onnx.OrtEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's container check with the real tools: {@code pier package} builds an image (Jib, no daemon) on the
 * {@code jre:local} base (no registry is reachable here), podman loads and runs it (read-only root, /tmp as tmpfs, non-root, host network on
 * 127.0.0.1), a real predict request to the container answers what the model computes in-process, and
 * skopeo shows the layers and labels. Skips, saying why, where podman or skopeo is not installed
 * ({@code .ci/run} installs both).
 */
class ContainerEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void packagedImageRunsUnderPodmanAndAnswersPredictions() throws Exception {
        Assumptions.assumeTrue(
                installed("podman") && installed("skopeo"),
                "podman and skopeo are not installed (apt-get install podman runc skopeo); .ci/run installs them");
        Path conf = Files.writeString(
                work.resolve("containers.conf"),
                "[containers]\ndefault_ulimits = []\nnetns = \"host\"\n[engine]\nruntime = \"runc\"\n");

        Path models = work.resolve("models");
        Path modelFile = ExampleModels.writeMnistRepository(models, 7);

        long started = System.nanoTime();
        Path image = work.resolve("pier-image.tar");
        String name = "localhost/pier-e2e:" + ProcessHandle.current().pid();
        new ImagePackager()
                .build(new PackageOptions(
                        models,
                        name,
                        LocalRuntimeBase.SPEC,
                        new PackageOptions.Target.Tar(image),
                        PackageOptions.currentClasspath()));

        JsonNode inspect = JSON.readTree(podman(conf, "skopeo", "inspect", "docker-archive:" + image));
        assertThat(inspect.path("Labels").path("dev.pier.models").asText()).isEqualTo("mnist");
        assertThat(inspect.path("Labels").path("dev.pier.model.mnist.versions").asText())
                .isEqualTo("1");
        assertThat(inspect.path("Layers").size())
                .as("base (2) + dependencies + classes + one model")
                .isEqualTo(5);

        String loaded = podman(conf, "podman", "load", "-i", image.toString());
        assertThat(loaded).contains("pier-e2e");
        int http = freePort();
        int grpc = freePort();
        String container = "pier-e2e-" + ProcessHandle.current().pid();
        try {
            podman(
                    conf,
                    "podman",
                    "run",
                    "-d",
                    "--name",
                    container,
                    "--read-only",
                    "--tmpfs",
                    "/tmp",
                    "--network",
                    "host",
                    name,
                    "serve",
                    "--model-repository",
                    "/models",
                    "--host",
                    "127.0.0.1",
                    "--http-port",
                    Integer.toString(http),
                    "--grpc-port",
                    Integer.toString(grpc));
            HttpClient client = HttpClient.newHttpClient();
            awaitReady(client, http, conf, container);
            double secondsToFirstPrediction;
            float[] pixels = RandomInputs.forSignature(
                            List.of(new dev.pier.api.TensorSpec(
                                    "input", dev.pier.api.DataType.FP32, Shape.of(-1, 784))),
                            1,
                            3)
                    .get("input")
                    .floats();
            StringJoiner row = new StringJoiner(",", "{\"instances\": [[", "]]}");
            for (float v : pixels) {
                row.add(Float.toString(v));
            }
            HttpResponse<String> answer = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/v1/models/mnist:predict"))
                            .POST(HttpRequest.BodyPublishers.ofString(row.toString()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            secondsToFirstPrediction = (System.nanoTime() - started) / 1e9;
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode predicted = JSON.readTree(answer.body()).get("predictions").get(0);
            try (OrtEngine engine = new OrtEngine();
                    ModelSession session = engine.load(modelFile, SessionOptions.defaults())) {
                float[] expected = session.run(
                                Map.of("input", Tensor.ofFloats("input", Shape.of(1, 784), pixels)), List.of())
                        .get(0)
                        .floats();
                for (int c = 0; c < expected.length; c++) {
                    assertThat(predicted.get(c).asDouble()).isCloseTo(expected[c], within(1e-6));
                }
            }
            String user = podman(conf, "podman", "inspect", "--format", "{{.Config.User}}", container)
                    .trim();
            assertThat(user).isEqualTo("10001:10001");
            System.out.printf(
                    "container check: image tarball %.1f MB; package -> first prediction %.1f s%n",
                    Files.size(image) / 1e6, secondsToFirstPrediction);
        } finally {
            tryRun(conf, "podman", "rm", "-f", container);
            tryRun(conf, "podman", "rmi", "-f", name);
        }
    }

    /**
     * {@code pier package --to registry}: Jib pushes the image to a real registry (Debian's docker-registry,
     * the CNCF distribution server, on 127.0.0.1 over plain HTTP) and skopeo reads it back from there: an OCI
     * manifest with the digest Pier reported, the model labels and the five layers.
     */
    @Test
    void packagedImagePushesToARegistryWithTheReportedDigest() throws Exception {
        Assumptions.assumeTrue(
                installed("docker-registry") && installed("skopeo"),
                "docker-registry and skopeo are not installed (apt-get install docker-registry skopeo); .ci/run installs them");
        Path conf = Files.writeString(
                work.resolve("containers.conf"),
                "[containers]\ndefault_ulimits = []\nnetns = \"host\"\n[engine]\nruntime = \"runc\"\n");
        int port = freePort();
        Path registryConfig = Files.writeString(
                work.resolve("registry.yml"),
                "version: 0.1\n"
                        + "storage:\n  filesystem:\n    rootdirectory: " + work.resolve("registry-data") + "\n"
                        + "http:\n  addr: 127.0.0.1:" + port + "\n");
        Process registry = new ProcessBuilder("docker-registry", "serve", registryConfig.toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("registry.log").toFile())
                .start();
        try {
            awaitRegistry(port, registry);
            Path models = work.resolve("models");
            ExampleModels.writeMnistRepository(models, 7);
            String name = "127.0.0.1:" + port + "/team/mnist:1";
            ImagePackager.Result pushed = new ImagePackager()
                    .build(new PackageOptions(
                            models,
                            name,
                            LocalRuntimeBase.SPEC,
                            new PackageOptions.Target.Registry(),
                            PackageOptions.currentClasspath()));

            String ref = "docker://" + name;
            JsonNode inspect = JSON.readTree(podman(conf, "skopeo", "inspect", "--tls-verify=false", ref));
            assertThat(inspect.path("Digest").asText()).isEqualTo(pushed.digest());
            assertThat(inspect.path("Labels").path("dev.pier.models").asText()).isEqualTo("mnist");
            assertThat(inspect.path("Layers").size())
                    .as("base (2) + dependencies + classes + one model")
                    .isEqualTo(5);
            JsonNode manifest = JSON.readTree(podman(conf, "skopeo", "inspect", "--raw", "--tls-verify=false", ref));
            assertThat(manifest.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        } finally {
            registry.destroy();
            registry.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private static void awaitRegistry(int port, Process registry) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && registry.isAlive()) {
            try {
                if (client.send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError(
                "docker-registry did not come up on 127.0.0.1:" + port + " (alive: " + registry.isAlive() + ")");
    }

    private static void awaitReady(HttpClient client, int port, Path conf, String container) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(
                                        HttpRequest.newBuilder(
                                                        URI.create("http://127.0.0.1:" + port + "/v2/health/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // the server is still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("container never became ready; logs:\n" + tryRun(conf, "podman", "logs", container));
    }

    private static String podman(Path conf, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("CONTAINERS_CONF", conf.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    private static String tryRun(Path conf, String... command) {
        try {
            return podman(conf, command);
        } catch (Throwable e) {
            return e.getMessage();
        }
    }
}
