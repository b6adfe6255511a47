package dev.pier.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A small HTTP client for the monitoring tests: V2 infer with MNIST rows, feedback posts, metric scrapes. */
public final class MonitorHttp {
    public static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    public MonitorHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public record Reply(int status, JsonNode body, Map<String, java.util.List<String>> headers) {}

    public Reply post(String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.body().isEmpty() ? null : JSON.readTree(r.body());
        return new Reply(r.statusCode(), json, r.headers().map());
    }

    public String get(String path) throws IOException, InterruptedException {
        return client.send(
                        HttpRequest.newBuilder(URI.create(base + path))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** A V2 infer body for rows {@code [from, from + n)} of flat 784-value images. */
    public static String v2Body(String id, float[] pixels, int from, int n) {
        StringBuilder s = new StringBuilder("{");
        if (id != null) {
            s.append("\"id\":\"").append(id).append("\",");
        }
        s.append("\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[")
                .append(n)
                .append(",784],\"data\":[");
        for (int i = from * 784; i < (from + n) * 784; i++) {
            if (i > from * 784) {
                s.append(',');
            }
            s.append(pixels[i]);
        }
        return s.append("]}]}").toString();
    }

    /** Argmax of each row of a V2 response's first output. */
    public static int[] argmax(JsonNode response) {
        JsonNode out = response.get("outputs").get(0);
        int rows = out.get("shape").get(0).asInt();
        int k = out.get("shape").get(1).asInt();
        int[] classes = new int[rows];
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (out.get("data").get(r * k + c).asDouble()
                        > out.get("data").get(r * k + best).asDouble()) {
                    best = c;
                }
            }
            classes[r] = best;
        }
        return classes;
    }

    /** The value of one series in a Prometheus text scrape, or NaN when absent. */
    public static double metric(String scrape, String name, String model, String version) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$")
                .matcher(scrape);
        while (m.find()) {
            String labels = m.group(1);
            if (labels.contains("model=\"" + model + "\"") && labels.contains("version=\"" + version + "\"")) {
                return Double.parseDouble(m.group(2));
            }
        }
        return Double.NaN;
    }

    /** The value of a series without labels, or NaN. */
    public static double metric(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{\\})? (\\S+)$")
                .matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
