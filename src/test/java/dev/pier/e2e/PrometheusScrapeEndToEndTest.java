package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (2.42, Debian's package) scrapes {@code pier serve} every second; the test sends a known
 * number of requests and rows and reads them back through Prometheus's query API, as a Grafana panel or an
 * alert would: Triton's request and inference counters, a latency quantile computed by Prometheus from Pier's
 * histogram buckets, the drift verdict, and the process series. Skipped when no {@code prometheus} is installed
 * ({@code .ci/run} installs it).
 */
class PrometheusScrapeEndToEndTest {
    private static final int REQUESTS_PER_PHASE = 20;
    private static final int ROWS = 5;
    private static final int BAD_REQUESTS = 3;
    private static final String MNIST = "{model=\"mnist\",version=\"1\"}";

    @TempDir
    Path dir;

    @Test
    void prometheusReadsBackWhatWasSent() throws Exception {
        Assumptions.assumeTrue(
                PrometheusProcess.binary() != null,
                "no prometheus binary on the PATH (apt-get install prometheus); skipping the real-Prometheus test");
        MonitoredMnist mnist = new MonitoredMnist(dir.resolve("repo"));
        try (PierProcess pier = PierProcess.serve(
                        "--model-store", mnist.root.toString(), "--drift-window", "100", "--drift-every", "50");
                PrometheusProcess prometheus = PrometheusProcess.scraping(pier.httpPort(), dir)) {
            Http http = new Http(pier.httpPort());
            assertThat(prometheus.await("up{job=\"pier\"}", 1, 30))
                    .as("Pier's target is up; log:\n%s", prometheus.log())
                    .isEqualTo(1);

            // two phases, each seen by Prometheus before the next, so rate() over the window has an increase to show
            long clientMaxNanos = 0;
            for (int phase = 0; phase < 2; phase++) {
                for (int i = 0; i < REQUESTS_PER_PHASE; i++) {
                    long t0 = System.nanoTime();
                    Http.Answer a = http.post(
                            "/v2/models/mnist/infer",
                            mnist.inferBody((phase * REQUESTS_PER_PHASE + i) * ROWS, ROWS, true));
                    clientMaxNanos = Math.max(clientMaxNanos, System.nanoTime() - t0);
                    assertThat(a.status()).as(a.text()).isEqualTo(200);
                }
                int sent = (phase + 1) * REQUESTS_PER_PHASE;
                assertThat(prometheus.await("nv_inference_request_success" + MNIST, sent, 30))
                        .as("successful requests Prometheus scraped after phase %d", phase + 1)
                        .isEqualTo(sent);
            }
            for (int i = 0; i < BAD_REQUESTS; i++) {
                assertThat(http.post(
                                        "/v2/models/mnist/infer",
                                        "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,2,3]}]}")
                                .status())
                        .isEqualTo(400);
            }
            int requests = 2 * REQUESTS_PER_PHASE;
            assertThat(prometheus.await("nv_inference_request_failure" + MNIST, BAD_REQUESTS, 30))
                    .isEqualTo(BAD_REQUESTS);
            assertThat(prometheus.value("nv_inference_request_success" + MNIST)).isEqualTo(requests);
            assertThat(prometheus.value("nv_inference_count" + MNIST))
                    .as("rows inferred")
                    .isEqualTo(requests * ROWS);
            assertThat(prometheus.value("sum(pier_inference_batch_size_sum" + MNIST + ")"))
                    .as("rows executed")
                    .isEqualTo(requests * ROWS);

            // the latency histogram: every request in it, and Prometheus's p99 within the bucket that holds the
            // slowest request as the client saw it (the server's time is a part of the client's)
            assertThat(prometheus.value("pier_inference_request_duration_seconds_count" + MNIST))
                    .isEqualTo(requests + BAD_REQUESTS);
            double p99 = prometheus.value(
                    "histogram_quantile(0.99, sum by (le) (rate(pier_inference_request_duration_seconds_bucket" + MNIST
                            + "[1m])))");
            double bound = bucketBoundAtOrAbove(http.get("/metrics").text(), clientMaxNanos / 1e9);
            System.out.printf(
                    "Prometheus p99 %.6f s; slowest request seen by the client %.6f s (bucket bound %.6f s)%n",
                    p99, clientMaxNanos / 1e9, bound);
            assertThat(p99).isGreaterThan(0).isLessThanOrEqualTo(bound);

            // drift: inverted digits, every row seen by the detector, flag raised
            assertThat(prometheus.await("pier_drift_rows_total" + MNIST, requests * ROWS, 30))
                    .isEqualTo(requests * ROWS);
            assertThat(prometheus.await("pier_drift_detected" + MNIST, 1, 30))
                    .as("drift flag for inverted digits")
                    .isEqualTo(1);
            assertThat(prometheus.value("pier_drift_score{model=\"mnist\",version=\"1\",feature=\"mean_intensity\"}"))
                    .isGreaterThan(0.2);

            // process and build series
            double now = System.currentTimeMillis() / 1000.0;
            assertThat(prometheus.value("process_start_time_seconds{job=\"pier\"}"))
                    .isBetween(now - 600, now);
            assertThat(prometheus.value("process_open_fds{job=\"pier\"}")).isGreaterThan(0);
            assertThat(prometheus.value("process_cpu_seconds_total{job=\"pier\"}"))
                    .isGreaterThan(0);
            assertThat(prometheus.value("pier_build_info{version=\"0.1.0\"}")).isEqualTo(1);
            assertThat(prometheus.value("pier_http_connections_open{job=\"pier\"}"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(prometheus.value("sum(jvm_memory_used_bytes{job=\"pier\"})"))
                    .isGreaterThan(0);
        }
    }

    /** The smallest {@code le} of Pier's latency histogram at or above {@code seconds}. */
    private static double bucketBoundAtOrAbove(String metrics, double seconds) {
        Matcher m = Pattern.compile(
                        "(?m)^pier_inference_request_duration_seconds_bucket\\{model=\"mnist\",version=\"1\",le=\"([^\"]+)\"")
                .matcher(metrics);
        double best = Double.POSITIVE_INFINITY;
        while (m.find()) {
            double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
            if (le >= seconds && le < best) {
                best = le;
            }
        }
        return best;
    }
}
