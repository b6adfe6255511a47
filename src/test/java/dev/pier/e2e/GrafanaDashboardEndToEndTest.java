package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard in {@code deploy/grafana/pier-dashboard.json} against a serving Pier: the file is a
 * dashboard (JSON with panels and PromQL targets); every metric name its queries use is on Pier's
 * {@code /metrics}; and, where Prometheus is installed, every panel's query evaluated by a real Prometheus
 * scraping that Pier returns data, so no panel of the dashboard stays empty.
 */
class GrafanaDashboardEndToEndTest {
    private static final Path DASHBOARD = Path.of("deploy/grafana/pier-dashboard.json");
    private static final Set<String> PROMQL_WORDS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "and",
            "or",
            "unless",
            "bool",
            "offset",
            "inf",
            "nan");

    @TempDir
    Path dir;

    @Test
    void everyPanelQueriesMetricsPierExportsAndShowsData() throws Exception {
        JsonNode dashboard = Http.JSON.readTree(Files.readString(DASHBOARD));
        assertThat(dashboard.path("title").asText()).isNotBlank();
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.put(
                        panel.path("title").asText() + " / "
                                + target.path("refId").asText(),
                        target.path("expr").asText().replace("$model", ".*").replace("$job", ".*"));
            }
        }
        assertThat(queries).hasSizeGreaterThanOrEqualTo(10);

        MonitoredMnist mnist = new MonitoredMnist(dir.resolve("repo"));
        try (PierProcess pier = PierProcess.serve(
                "--model-store", mnist.root.toString(), "--drift-window", "20", "--drift-every", "10")) {
            Http http = new Http(pier.httpPort());
            PrometheusProcess prometheus =
                    PrometheusProcess.binary() == null ? null : PrometheusProcess.scraping(pier.httpPort(), dir);
            try {
                if (prometheus != null) {
                    assertThat(prometheus.await("up", 1, 30)).isEqualTo(1);
                }
                for (int phase = 1; phase <= 2; phase++) {
                    for (int i = 0; i < 10; i++) {
                        assertThat(http.post("/v2/models/mnist/infer", mnist.inferBody(i * 4, 4, true))
                                        .status())
                                .isEqualTo(200);
                    }
                    if (prometheus != null) {
                        assertThat(prometheus.await("nv_inference_request_success", phase * 10, 30))
                                .isEqualTo(phase * 10);
                    }
                }
                assertThat(http.post("/v2/models/mnist/infer", "{\"inputs\":[]}")
                                .status())
                        .isEqualTo(400);

                // the drift worker scores its window every 20 ms, after the answers: its series may lag the last one
                Set<String> used = new TreeSet<>();
                queries.values().forEach(query -> used.addAll(metricNames(query)));
                long scored = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
                Set<String> exported;
                do {
                    exported = exportedNames(http.get("/metrics").text());
                } while (!exported.containsAll(used) && System.nanoTime() < scored && sleep());
                for (Map.Entry<String, String> q : queries.entrySet()) {
                    assertThat(exported)
                            .as("metrics used by panel '%s': %s", q.getKey(), q.getValue())
                            .containsAll(metricNames(q.getValue()));
                }
                if (prometheus != null) {
                    List<String> empty = new ArrayList<>();
                    // failures and drift flags are series too, just at 0 or 1; every query must return something
                    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
                    do {
                        empty.clear();
                        for (Map.Entry<String, String> q : queries.entrySet()) {
                            if (prometheus.query(q.getValue()).isEmpty()) {
                                empty.add(q.getKey() + ": " + q.getValue());
                            }
                        }
                    } while (!empty.isEmpty() && System.nanoTime() < deadline && sleep());
                    assertThat(empty)
                            .as("panels whose query Prometheus answers with no data")
                            .isEmpty();
                } else {
                    System.out.println("no prometheus binary: the dashboard's queries were checked by name only");
                }
            } finally {
                if (prometheus != null) {
                    prometheus.close();
                }
            }
        }
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(500);
        return true;
    }

    /** The series names on a /metrics page. */
    private static Set<String> exportedNames(String metrics) {
        Set<String> names = new TreeSet<>();
        for (String line : metrics.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    /**
     * The metric names a PromQL expression reads: identifiers left once label matchers, grouping clauses, range
     * durations and strings are removed, that are not function calls or PromQL keywords.
     */
    static Set<String> metricNames(String promql) {
        String s = promql.replaceAll("\"[^\"]*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\()?")
                .matcher(s);
        while (m.find()) {
            String word = m.group(1);
            if (m.group(2) == null && !PROMQL_WORDS.contains(word.toLowerCase()) && !word.matches("\\d.*")) {
                names.add(word);
            }
        }
        return names;
    }
}
