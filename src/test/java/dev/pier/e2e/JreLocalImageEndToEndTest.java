package dev.pier.e2e;

import static dev.pier.testsupport.HostTools.freePort;
import static dev.pier.testsupport.HostTools.installed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.Shape;
import dev.pier.cli.CliRun;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.examples.ExampleModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 7: {@code pier package --base jre:local} builds an image with no registry (a runtime jlink'ed
 * from this JDK on the host's libraries), podman loads and runs it (read-only root, non-root, host network on
 * 127.0.0.1), and it answers real MNIST digits exactly as {@code pier serve} does on this machine. Skips, saying
 * why, where podman is not installed ({@code .ci/run} installs it).
 */
class JreLocalImageEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void aJreLocalImageRunsUnderPodmanAndAnswersAsPierServeDoes() throws Exception {
        Assumptions.assumeTrue(
                installed("podman"), "podman is not installed (apt-get install podman runc); .ci/run installs it");
        Path conf = Files.writeString(
                work.resolve("containers.conf"),
                "[containers]\ndefault_ulimits = []\nnetns = \"host\"\n[engine]\nruntime = \"runc\"\n");
        Path models = work.resolve("models");
        ExampleModels.writeMnistRepository(models, 7);
        Path tar = work.resolve("image.tar");
        String name = "localhost/pier-jre-local-e2e:" + ProcessHandle.current().pid();

        CliRun packaged = CliRun.of(
                "package",
                "--model-repository",
                models.toString(),
                "--image",
                name,
                "--base",
                "jre:local",
                "--to",
                "tar:" + tar);
        assertThat(packaged.exit()).as(packaged.out() + packaged.err()).isZero();
        assertThat(packaged.out()).contains("built " + name);

        String body = MnistRestAnswers.instancesBody(
                Mnist.load(Mnist.Split.TEST, 3, MnistFetcher.defaultDir(), Shape.of(784)));
        String container = "pier-jre-local-e2e-" + ProcessHandle.current().pid();
        try {
            assertThat(run(conf, "podman", "load", "-i", tar.toString())).contains(name);
            JsonNode inspected =
                    JSON.readTree(run(conf, "podman", "image", "inspect", name)).get(0);
            assertThat(inspected
                            .path("Labels")
                            .path("org.opencontainers.image.base.name")
                            .asText())
                    .isEqualTo("jre:local");
            assertThat(inspected.path("Config").path("Env").toString()).contains("PATH=/opt/java/bin");
            int http = freePort();
            run(
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
                    Integer.toString(freePort()));
            Http inImage = new Http(http);
            awaitReady(inImage, conf, container);
            Http.Answer fromImage = inImage.post("/v1/models/mnist:predict", body);
            assertThat(fromImage.status()).as(fromImage.text()).isEqualTo(200);

            try (PierProcess local = PierProcess.serve("--model-repository", models.toString())) {
                Http.Answer fromServe = new Http(local.httpPort()).post("/v1/models/mnist:predict", body);
                assertThat(fromServe.status()).as(fromServe.text()).isEqualTo(200);
                assertThat(fromImage.json().get("predictions")).hasSize(3);
                // same model, same ONNX Runtime, same CPU: the same floats, not merely close ones
                assertThat(fromImage.json()).isEqualTo(fromServe.json());
            }
            String user = run(conf, "podman", "inspect", "--format", "{{.Config.User}}", container)
                    .trim();
            assertThat(user).isEqualTo("10001:10001");
            System.out.println("jre:local image: "
                    + run(conf, "podman", "images", "--format", "{{.Repository}}:{{.Tag}} {{.Size}}", name)
                            .trim());
        } finally {
            run(conf, List.of("podman", "rm", "-f", container), false);
            run(conf, List.of("podman", "rmi", "-f", name), false);
        }
    }

    private static void awaitReady(Http http, Path conf, String container) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try {
                if (http.get("/v2/health/ready").status() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // the server in the container is still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError(
                "container never became ready; logs:\n" + run(conf, List.of("podman", "logs", container), false));
    }

    private static String run(Path conf, String... command) throws Exception {
        return run(conf, List.of(command), true);
    }

    private static String run(Path conf, List<String> command, boolean mustSucceed) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("CONTAINERS_CONF", conf.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(300, TimeUnit.SECONDS);
        if (mustSucceed && (!done || p.exitValue() != 0)) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }
}
