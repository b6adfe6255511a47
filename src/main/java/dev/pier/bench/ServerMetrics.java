package dev.pier.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the server's Prometheus {@code /metrics} page for Triton's per-model counters and turns two readings
 * into per-step figures. Counters are summed over the lines of the model ({@code model="NAME"} label), or over
 * all lines when none carries that label. A server without the page or the counters gives empty readings, and
 * the step's server figures stay null. Thread-safe.
 */
public final class ServerMetrics {
    static final String QUEUE = "nv_inference_queue_duration_us";
    static final String COMPUTE = "nv_inference_compute_infer_duration_us";
    static final String EXEC = "nv_inference_exec_count";
    static final String COUNT = "nv_inference_count";
    static final String SUCCESS = "nv_inference_request_success";

    private final URI url;
    private final String model;
    // HTTP/1.1: the JDK client's default HTTP/2 sends an h2c upgrade that HTTP/1.1-only servers log as unsupported
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    public ServerMetrics(URI url, String model) {
        this.url = url;
        this.model = model;
    }

    /** Counter values at one moment. */
    public record Reading(Map<String, Double> counters) {}

    /** Per-request server figures over a step; a field is null when its counters are missing or did not move. */
    public record Delta(Double queueUsPerRequest, Double computeUsPerRequest, Double meanBatchSize) {}

    /** The current counters, or empty when the page cannot be read. */
    public Optional<Reading> read() {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(url)
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(parse(r.body(), model)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Sums Triton's counters in a Prometheus text page for {@code model}. */
    static Reading parse(String page, String model) {
        Map<String, Double> forModel = new HashMap<>();
        Map<String, Double> all = new HashMap<>();
        String label = "model=\"" + model + "\"";
        for (String line : page.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            // NAME{LABELS} VALUE [TIMESTAMP] or NAME VALUE [TIMESTAMP]; a "_total" suffix (Prometheus client 1.x
            // counters) is dropped so either export of Triton's names is read
            int close = line.indexOf('}');
            int brace = line.indexOf('{');
            String head = brace >= 0 && close > brace ? line.substring(0, close + 1) : line.split("\\s+")[0];
            String rest = line.substring(head.length()).strip();
            String name = (brace >= 0 && close > brace ? line.substring(0, brace) : head).strip();
            if (name.endsWith("_total")) {
                name = name.substring(0, name.length() - "_total".length());
            }
            if (!name.equals(QUEUE)
                    && !name.equals(COMPUTE)
                    && !name.equals(EXEC)
                    && !name.equals(COUNT)
                    && !name.equals(SUCCESS)) {
                continue;
            }
            double value;
            try {
                value = Double.parseDouble(rest.split("\\s+")[0]);
            } catch (NumberFormatException e) {
                continue;
            }
            all.merge(name, value, Double::sum);
            if (head.contains(label)) {
                forModel.merge(name, value, Double::sum);
            }
        }
        return new Reading(forModel.isEmpty() ? all : forModel);
    }

    /** Figures over the interval between two readings; null when either is missing. */
    public static Delta delta(Optional<Reading> before, Optional<Reading> after) {
        if (before.isEmpty() || after.isEmpty()) {
            return null;
        }
        Map<String, Double> a = before.get().counters();
        Map<String, Double> b = after.get().counters();
        Double count = diff(a, b, COUNT);
        Double requests = diff(a, b, SUCCESS);
        Double perRequest = requests != null ? requests : count;
        Double exec = diff(a, b, EXEC);
        return new Delta(
                ratio(diff(a, b, QUEUE), perRequest), ratio(diff(a, b, COMPUTE), perRequest), ratio(count, exec));
    }

    private static Double diff(Map<String, Double> a, Map<String, Double> b, String name) {
        return a.containsKey(name) && b.containsKey(name) ? b.get(name) - a.get(name) : null;
    }

    private static Double ratio(Double num, Double den) {
        return num == null || den == null || !(den > 0) ? null : num / den;
    }
}
