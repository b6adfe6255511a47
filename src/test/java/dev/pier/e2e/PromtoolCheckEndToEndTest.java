package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.testsupport.HostTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus's own linter, {@code promtool check metrics}, on the {@code /metrics} page of a serving Pier with
 * every kind of series present (Triton's counters, latency and batch histograms, drift gauges, prediction-log
 * counters, process, JVM and build series). Its only complaints may be about Triton's {@code nv_inference_*}
 * names, which Pier keeps exactly as Triton spells them so that Triton dashboards work unchanged.
 */
class PromtoolCheckEndToEndTest {
    /** promtool's complaints about Triton's names (Triton's own /metrics draws the same ones). */
    private static final List<String> TRITON_NAMES = List.of(
            "nv_inference_compute_infer_duration_us metric names should not contain abbreviated units",
            "nv_inference_count non-histogram and non-summary metrics should not have \"_count\" suffix",
            "nv_inference_exec_count non-histogram and non-summary metrics should not have \"_count\" suffix",
            "nv_inference_queue_duration_us metric names should not contain abbreviated units",
            "nv_inference_request_duration_us metric names should not contain abbreviated units");

    @TempDir
    Path dir;

    @Test
    void promtoolFindsNothingButTritonsOwnNames() throws Exception {
        Path promtool = HostTools.onPath("promtool");
        Assumptions.assumeTrue(promtool != null, "no promtool on the PATH (apt-get install prometheus); skipping");
        MonitoredMnist mnist = new MonitoredMnist(dir.resolve("repo"));
        try (PierProcess pier = PierProcess.serve(
                "--model-store",
                mnist.root.toString(),
                "--drift-window",
                "20",
                "--drift-every",
                "10",
                "--prediction-log",
                dir.resolve("log").toString())) {
            Http http = new Http(pier.httpPort());
            for (int i = 0; i < 5; i++) {
                assertThat(http.post("/v2/models/mnist/infer", mnist.inferBody(i * 8, 8, false))
                                .status())
                        .isEqualTo(200);
            }
            assertThat(http.post("/v2/models/mnist/infer", "{\"inputs\":[]}").status())
                    .isEqualTo(400);
            String metrics = awaitDriftSeries(http);
            Process check = new ProcessBuilder(promtool.toString(), "check", "metrics")
                    .redirectErrorStream(true)
                    .start();
            check.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
            check.getOutputStream().close();
            String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
            System.out.println("promtool check metrics:\n" + out);
            List<String> problems = Arrays.stream(out.split("\n"))
                    .map(String::strip)
                    .filter(l -> !l.isEmpty())
                    .toList();
            assertThat(problems)
                    .as("promtool's findings on:\n%s", metrics)
                    .containsExactlyInAnyOrderElementsOf(TRITON_NAMES);
        }
    }

    /** The drift detector runs off the request path; its gauges appear after its first evaluation. */
    private static String awaitDriftSeries(Http http) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String metrics;
        while (!(metrics = http.get("/metrics").text()).contains("pier_drift_score{") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(metrics)
                .contains(
                        "pier_drift_score{",
                        "process_start_time_seconds ",
                        "pier_build_info{",
                        "jvm_gc_pause_seconds",
                        "jvm_threads_live_threads",
                        "pier_http_connections_open");
        return metrics;
    }
}
