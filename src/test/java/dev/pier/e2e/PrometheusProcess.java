package dev.pier.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.testsupport.HostTools;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's {@code prometheus} package) scraping one Pier on 127.0.0.1 every second,
 * with its configuration and TSDB in a temporary folder; killed on {@link #close()}. Queried through its HTTP API.
 */
final class PrometheusProcess implements AutoCloseable {
    private final Process process;
    private final Http api;
    private final Path log;

    private PrometheusProcess(Process process, int port, Path log) {
        this.process = process;
        this.api = new Http(port);
        this.log = log;
    }

    /** The {@code prometheus} binary on the PATH, or null. */
    static Path binary() {
        return HostTools.onPath("prometheus");
    }

    static PrometheusProcess scraping(int pierPort, Path dir) throws IOException {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: pier
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(pierPort));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(
                        binary().toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + Files.createDirectories(dir.resolve("tsdb")),
                        "--storage.tsdb.retention.time=1h",
                        "--web.listen-address=127.0.0.1:" + port,
                        "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new PrometheusProcess(p, port, log);
    }

    /** An instant query's result vector ({@code data.result}). */
    JsonNode query(String promql) throws IOException, InterruptedException {
        Http.Answer a = api.get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (a.status() != 200) {
            throw new AssertionError("Prometheus answered " + a.status() + " to " + promql + ": " + a.text());
        }
        return a.json().path("data").path("result");
    }

    /**
     * The single sample of an instant query, or NaN when the result is empty or Prometheus is not up yet (it
     * answers 503 until its TSDB is open).
     */
    double value(String promql) throws InterruptedException {
        try {
            JsonNode result = query(promql);
            return result.isEmpty()
                    ? Double.NaN
                    : Double.parseDouble(result.get(0).path("value").get(1).asText());
        } catch (IOException | AssertionError notYet) {
            return Double.NaN;
        }
    }

    /** Waits (at most {@code seconds}) until {@code promql} returns {@code expected}; returns what it last saw. */
    double await(String promql, double expected, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        double v;
        while ((v = value(promql)) != expected && System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited: " + log());
            }
            Thread.sleep(200);
        }
        return v;
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
