package dev.pier.monitor.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.server.ShutdownOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's routes on a real server with a bearer token: what is open, what is not, and the event stream. */
class DashboardRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    // HTTP/1.1 as browsers speak it to a plain-text server; closing a stream then closes its connection
    private final HttpClient plain =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path tmp;

    @Test
    void pageIsOpenDataNeedsTheTokenAndTheStreamEndsAtShutdown() throws Exception {
        // a 20 s grace: if an event stream (open, or closed by its client) held the drain, closing would take that long
        TwoModelServer s = new TwoModelServer(
                tmp, Optional.of("s3cret"), new ShutdownOptions(Duration.ZERO, Duration.ofSeconds(20)));
        try {
            HttpResponse<String> page = get(s.base + "/dashboard", false, s);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
            assertThat(page.body())
                    .contains("/dashboard/assets/uPlot.min.js")
                    .doesNotContain("http://")
                    .doesNotContain("https://");
            HttpResponse<String> uplot = get(s.base + "/dashboard/assets/uPlot.min.js", false, s);
            assertThat(uplot.statusCode()).isEqualTo(200);
            assertThat(uplot.body()).contains("uPlot").hasSizeGreaterThan(10_000);

            assertThat(get(s.base + "/dashboard/api/snapshot", false, s).statusCode())
                    .isEqualTo(401);
            assertThat(get(s.base + "/dashboard/api/events", false, s).statusCode())
                    .isEqualTo(401);
            // exact paths only: a dot-segment after an open prefix reaches nothing unauthenticated
            assertThat(get(s.base + "/dashboard/assets/../../v2/models/digits", false, s)
                            .statusCode())
                    .isEqualTo(401);

            JsonNode history = waitForSnapshots(s);
            assertThat(history.path("intervalSeconds").asDouble()).isEqualTo(1.0);
            assertThat(history.path("historySeconds").asLong()).isEqualTo(300);
            JsonNode latest =
                    history.path("snapshots").get(history.path("snapshots").size() - 1);
            List<String> models = new ArrayList<>();
            latest.path("models").forEach(m -> models.add(m.path("model").asText()));
            assertThat(models).containsExactlyElementsOf(TwoModelServer.MODELS);
            for (String field : List.of(
                    "state",
                    "requestsPerSecond",
                    "p50Ms",
                    "p95Ms",
                    "p99Ms",
                    "errorRate",
                    "pending",
                    "meanBatch",
                    "batchSizes",
                    "totalRequests",
                    "quality")) {
                assertThat(latest.path("models").get(0).has(field)).as(field).isTrue();
            }

            // a viewer that leaves: its stream must not stay counted as a request in flight (see the shutdown below)
            try (java.net.Socket leaving = new java.net.Socket("127.0.0.1", s.server.httpPort())) {
                leaving.getOutputStream()
                        .write(("GET /dashboard/api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                        + "Authorization: Bearer s3cret\r\n\r\n")
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                var in = new java.io.BufferedReader(new java.io.InputStreamReader(
                        leaving.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
                String line;
                do {
                    line = in.readLine();
                } while (line != null && !line.startsWith("data:"));
                assertThat(line).isNotNull();
            }

            HttpResponse<Stream<String>> events =
                    plain.send(s.request("/dashboard/api/events").build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(events.statusCode()).isEqualTo(200);
            assertThat(events.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
            Iterator<String> lines = events.body().iterator();
            List<JsonNode> received = new ArrayList<>();
            while (received.size() < 3 && lines.hasNext()) {
                String line = lines.next();
                if (line.startsWith("data:")) {
                    received.add(JSON.readTree(line.substring(5)));
                }
            }
            assertThat(received).hasSize(3);
            assertThat(received.get(2).path("time").asLong())
                    .isGreaterThan(received.get(1).path("time").asLong());
            assertThat(received.get(2).path("models").size()).isEqualTo(2);

            CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> lines.forEachRemaining(l -> {}));
            long start = System.nanoTime();
            s.close();
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start))
                    .as("shutdown seconds")
                    .isLessThan(10);
            drained.get(5, TimeUnit.SECONDS); // the stream has ended, cleanly
        } finally {
            s.close();
        }
    }

    private JsonNode waitForSnapshots(TwoModelServer s) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            HttpResponse<String> r = get(s.base + "/dashboard/api/snapshot", true, s);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(r.body());
            if (body.path("snapshots").size() >= 2 || System.nanoTime() > deadline) {
                return body;
            }
            Thread.sleep(300);
        }
    }

    private HttpResponse<String> get(String url, boolean withToken, TwoModelServer s) throws Exception {
        HttpRequest.Builder b =
                withToken ? s.request(URI.create(url).getRawPath()) : HttpRequest.newBuilder(URI.create(url));
        return plain.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
