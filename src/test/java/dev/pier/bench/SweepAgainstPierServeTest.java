package dev.pier.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.cli.PierCli;
import dev.pier.deploy.BenchCapacity;
import dev.pier.examples.ExampleModels;
import dev.pier.server.RunningServer;
import dev.pier.server.ServerOptions;
import dev.pier.serving.ServingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short sweeps through the CLI against a real Pier server (in this JVM) serving the example MNIST MLP. */
class SweepAgainstPierServeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private static RunningServer server;

    @BeforeAll
    static void start() {
        Path repo = tmp.resolve("models");
        ExampleModels.writeMnistRepository(repo, 7);
        server = RunningServer.start(
                ServingOptions.of(repo, null),
                new ServerOptions("127.0.0.1", 0, 0, ServerOptions.DEFAULT_MAX_BODY_BYTES, 1));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void closedLoopRestSweepWritesWellFormedJsonAndHtml() throws Exception {
        Path json = tmp.resolve("rest.json");
        Path html = tmp.resolve("rest.html");
        int code = PierCli.execute(
                "bench",
                "--url",
                "http://127.0.0.1:" + server.httpPort(),
                "--model",
                "mnist",
                "--protocol",
                "rest",
                "--binary",
                "--concurrency",
                "1,2",
                "--duration",
                "1s",
                "--warmup",
                "200ms",
                "--slo-p99",
                "10s",
                "--json",
                json.toString(),
                "--report",
                html.toString());
        assertThat(code).isZero();
        JsonNode root = JSON.readTree(json.toFile());
        List<JsonNode> steps = new java.util.ArrayList<>();
        root.path("steps").forEach(steps::add);
        assertThat(steps).hasSize(2);
        assertThat(steps.get(0).path("concurrency").asInt()).isEqualTo(1);
        assertThat(steps.get(1).path("concurrency").asInt()).isEqualTo(2);
        for (JsonNode s : steps) {
            for (String f : List.of("requests", "errors", "throughput", "p50_ms", "p90_ms", "p99_ms", "max_ms")) {
                assertThat(s.path(f).isNumber()).as(f).isTrue();
            }
            for (String f : List.of("server_queue_us", "server_compute_us", "mean_batch_size")) {
                assertThat(s.has(f)).as(f).isTrue();
            }
            assertThat(s.path("errors").asLong()).isZero();
            assertThat(s.path("requests").asLong()).isPositive();
            assertThat(s.path("p50_ms").asDouble())
                    .isLessThanOrEqualTo(s.path("p99_ms").asDouble());
            assertThat(s.path("p99_ms").asDouble())
                    .isLessThanOrEqualTo(s.path("max_ms").asDouble());
        }
        // with Triton-named counters on /metrics the server figures are filled in, else they are null
        boolean metrics = new ServerMetrics(
                        java.net.URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics"), "mnist")
                .read()
                .map(r -> r.counters().containsKey(ServerMetrics.EXEC))
                .orElse(false);
        for (JsonNode s : steps) {
            if (metrics) {
                assertThat(s.path("mean_batch_size").asDouble()).isGreaterThanOrEqualTo(1.0);
                assertThat(s.path("server_compute_us").asDouble()).isPositive();
                assertThat(s.path("server_queue_us").isNumber()).isTrue();
            } else {
                assertThat(s.path("mean_batch_size").isNull()).isTrue();
                assertThat(s.path("server_queue_us").isNull()).isTrue();
            }
        }
        JsonNode cap = root.path("capacity");
        double best = Math.max(
                steps.get(0).path("throughput").asDouble(),
                steps.get(1).path("throughput").asDouble());
        assertThat(cap.path("max_throughput_within_slo").asDouble()).isEqualTo(best);
        assertThat(cap.path("slo_p99_ms").asDouble()).isEqualTo(10_000.0);
        assertThat(cap.path("at_concurrency").asInt()).isIn(1, 2);

        String page = Files.readString(html);
        assertThat(page)
                .startsWith("<!DOCTYPE html>")
                .contains("<svg")
                .contains("<polyline")
                .contains("</html>");
        assertThat(page).doesNotContain("src=").doesNotContain("href=").doesNotContain("<script");

        BenchCapacity c = BenchCapacity.read(json, Optional.of(10_000.0));
        assertThat(c.rps()).isEqualTo(best);
    }

    @Test
    void openLoopGrpcAndTfServingSweepsAnswerWithoutErrors() throws Exception {
        Path json = tmp.resolve("grpc.json");
        int code = PierCli.execute(
                "bench",
                "--url",
                "http://127.0.0.1:" + server.grpcPort(),
                "--model",
                "mnist",
                "--protocol",
                "grpc",
                "--rate",
                "50,100",
                "--duration",
                "1s",
                "--warmup",
                "0s",
                "--slo-p99",
                "1ms",
                "--json",
                json.toString());
        assertThat(code).isZero();
        JsonNode root = JSON.readTree(json.toFile());
        assertThat(root.path("steps").get(0).path("rate").asDouble()).isEqualTo(50.0);
        assertThat(root.path("steps").get(0).path("requests").asLong()).isEqualTo(50);
        assertThat(root.path("steps").get(1).path("requests").asLong()).isEqualTo(100);
        assertThat(root.path("steps").get(1).path("errors").asLong()).isZero();
        assertThat(root.path("capacity").has("at_rate")).isTrue();

        Path tf = tmp.resolve("tf.json");
        code = PierCli.execute(
                "bench",
                "--url",
                "http://127.0.0.1:" + server.httpPort(),
                "--model",
                "mnist",
                "--protocol",
                "tfserving",
                "--concurrency",
                "2",
                "--duration",
                "1s",
                "--warmup",
                "0s",
                "--json",
                tf.toString());
        assertThat(code).isZero();
        JsonNode step = JSON.readTree(tf.toFile()).path("steps").get(0);
        assertThat(step.path("errors").asLong()).isZero();
        assertThat(step.path("requests").asLong()).isPositive();
    }

    @Test
    void aWrongModelNameIsAClearError() {
        int code = PierCli.execute(
                "bench",
                "--url",
                "http://127.0.0.1:" + server.httpPort(),
                "--model",
                "nope",
                "--concurrency",
                "1",
                "--duration",
                "1s");
        assertThat(code).isNotZero();
    }
}
