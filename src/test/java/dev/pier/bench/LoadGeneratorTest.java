package dev.pier.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.DataType;
import dev.pier.api.Shape;
import dev.pier.api.TensorSpec;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The load generator's accounting against servers with known, injected timing and failures. */
class LoadGeneratorTest {
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static HttpTransport transport(int port) {
        HttpBodies bodies = HttpBodies.v2(
                "m", BenchInputs.random("m", List.of(new TensorSpec("x", DataType.FP32, Shape.of(-1, 4)))), false);
        return new HttpTransport(vertx, "127.0.0.1", port, bodies, 64, Duration.ofSeconds(5));
    }

    @Test
    void closedLoopReportsTheServersDelay() throws Exception {
        long delayMs = 20;
        try (DelayedV2Server server = new DelayedV2Server(delayMs, -1, 0, 200, false);
                HttpTransport t = transport(server.port())) {
            StepResult r = new LoadGenerator(t, Duration.ofSeconds(5)).closedLoop(4, Duration.ofMillis(1500));
            assertThat(r.errors()).isZero();
            assertThat(r.latency().p50Ms()).isBetween((double) delayMs, delayMs + 15.0);
            // 4 workers each waiting >= 20 ms per answer cannot exceed 4 / 0.020 answers per second
            assertThat(r.throughput()).isPositive().isLessThanOrEqualTo(4 * 1000.0 / delayMs * 1.02);
            assertThat(r.requests()).isEqualTo(server.received.get());
        }
    }

    @Test
    void aSingleWorkerAgainstAFastServerRunsTheWholeStep() throws Exception {
        try (DelayedV2Server server = new DelayedV2Server(0, -1, 0, 200, false);
                HttpTransport t = transport(server.port())) {
            long t0 = System.nanoTime();
            StepResult r = new LoadGenerator(t, Duration.ofSeconds(5)).closedLoop(1, Duration.ofMillis(800));
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
            // the step must not end when the in-flight count passes through zero between two requests
            assertThat(elapsedMs).isGreaterThanOrEqualTo(800);
            Thread.sleep(100);
            assertThat(r.requests()).isEqualTo(server.received.get()).isGreaterThan(1);
            assertThat(r.errors()).isZero();
        }
    }

    @Test
    void openLoopKeepsItsScheduleAndCountsTheWaitBehindAStall() throws Exception {
        double rate = 200;
        long stallMs = 500;
        // one handler thread: the stall holds up every request behind it, as a stuck server would
        try (DelayedV2Server server = new DelayedV2Server(0, 100, stallMs, 200, true);
                HttpTransport t = transport(server.port())) {
            StepResult r = new LoadGenerator(t, Duration.ofSeconds(5)).openLoop(rate, Duration.ofSeconds(2), 1000);
            assertThat(r.errors())
                    .as("errors by kind %s, server received %d", r.errorsByKind(), server.received.get())
                    .isZero();
            assertThat(r.requests()).isEqualTo(400); // schedule kept: rate x duration, none skipped
            assertThat(r.latency().maxMs()).isGreaterThanOrEqualTo(stallMs * 0.9);
            // ~100 of 400 requests were due during the stall and waited behind it (up to 500 ms): a
            // coordinated-omission-prone tool would report one slow sample and a p90 near zero
            assertThat(r.latency().p90Ms()).isGreaterThan(100.0);
            assertThat(r.latency().p99Ms()).isGreaterThan(stallMs * 0.6);
        }
    }

    @Test
    void openLoopDropsBeyondTheOutstandingCapAndCountsThem() throws Exception {
        try (DelayedV2Server server = new DelayedV2Server(200, -1, 0, 200, false);
                HttpTransport t = transport(server.port())) {
            StepResult r = new LoadGenerator(t, Duration.ofSeconds(5)).openLoop(100, Duration.ofSeconds(1), 5);
            assertThat(r.requests()).isEqualTo(100);
            assertThat(r.errorsByKind().get(ErrorKinds.DROPPED)).isPositive();
            assertThat(r.errors()).isEqualTo(r.requests() - r.latency().count());
        }
    }

    @Test
    void serverErrorsAndRefusedConnectionsAreCountedByKind() throws Exception {
        try (DelayedV2Server server = new DelayedV2Server(1, -1, 0, 500, false);
                HttpTransport t = transport(server.port())) {
            StepResult r = new LoadGenerator(t, Duration.ofSeconds(5)).closedLoop(2, Duration.ofMillis(500));
            assertThat(r.requests()).isPositive();
            assertThat(r.errors()).isEqualTo(r.requests());
            assertThat(r.errorsByKind()).containsOnlyKeys("http_500");
            assertThat(r.latency().count()).isZero();
            assertThat(r.throughput()).isZero();
        }
        int freePort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            freePort = s.getLocalPort();
        }
        try (HttpTransport t = transport(freePort)) {
            StepResult r = new LoadGenerator(t, Duration.ofSeconds(5)).openLoop(50, Duration.ofMillis(500), 100);
            assertThat(r.requests()).isEqualTo(25);
            assertThat(r.errorsByKind()).containsEntry("connect_refused", 25L);
        }
    }

    @Test
    void serverMetricsDeltasFollowTritonsCounters() {
        String before = "# TYPE nv_inference_count counter\nnv_inference_count{model=\"m\",version=\"1\"} 100\n"
                + "nv_inference_exec_count{model=\"m\",version=\"1\"} 50\nnv_inference_queue_duration_us{model=\"m\",version=\"1\"} 1000\n"
                + "nv_inference_compute_infer_duration_us{model=\"m\",version=\"1\"} 4000\nnv_inference_count{model=\"other\",version=\"1\"} 7\n";
        String after =
                "nv_inference_count_total{model=\"m\",version=\"1\"} 300 1700000000000\nnv_inference_exec_count{model=\"m\",version=\"1\"} 100\n"
                        + "nv_inference_queue_duration_us{model=\"m\",version=\"1\"} 3000\nnv_inference_compute_infer_duration_us{model=\"m\",version=\"1\"} 10000\n"
                        + "nv_inference_count{model=\"other\",version=\"1\"} 9000\n";
        var d = ServerMetrics.delta(
                java.util.Optional.of(ServerMetrics.parse(before, "m")),
                java.util.Optional.of(ServerMetrics.parse(after, "m")));
        assertThat(d.meanBatchSize()).isEqualTo(200.0 / 50);
        assertThat(d.queueUsPerRequest()).isEqualTo(2000.0 / 200);
        assertThat(d.computeUsPerRequest()).isEqualTo(6000.0 / 200);
        assertThat(ServerMetrics.delta(
                        java.util.Optional.empty(), java.util.Optional.of(ServerMetrics.parse(after, "m"))))
                .isNull();
    }
}
