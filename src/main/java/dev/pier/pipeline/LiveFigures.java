package dev.pier.pipeline;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One version's live quality as a running server exposes it on {@code /metrics} (Prometheus text):
 * {@code pier_live_accuracy} and {@code pier_feedback_rows} (from feedback), and the largest {@code pier_drift_score}
 * over its features. A figure the server does not have yet is null.
 *
 * @param accuracy share of labelled predictions that were right
 * @param feedback labelled predictions received
 * @param drift    largest drift score (PSI) over the features
 */
record LiveFigures(Double accuracy, Double feedback, Double drift) {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}\\s+(\\S+)");

    static LiveFigures read(URI server, String model, long version, String token) {
        URI uri = server.resolve("/metrics");
        try {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> r = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + uri + " answered " + r.statusCode());
            }
            return parse(r.body(), model, version);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + uri, e);
        }
    }

    static LiveFigures parse(String text, String model, long version) {
        Double accuracy = null;
        Double feedback = null;
        Double drift = null;
        String m = "model=\"" + model + "\"";
        String v = "version=\"" + version + "\"";
        for (String line : text.split("\n")) {
            Matcher s = SAMPLE.matcher(line);
            if (!s.find() || !s.group(2).contains(m) || !s.group(2).contains(v)) {
                continue;
            }
            double value;
            try {
                value = Double.parseDouble(s.group(3));
            } catch (NumberFormatException e) {
                continue;
            }
            if (Double.isNaN(value)) {
                continue;
            }
            switch (s.group(1)) {
                case "pier_live_accuracy" -> accuracy = value;
                case "pier_feedback_rows" -> feedback = value;
                case "pier_drift_score" -> drift = drift == null ? value : Math.max(drift, value);
                default -> {}
            }
        }
        return new LiveFigures(accuracy, feedback, drift);
    }
}
