package dev.pier.monitor.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.api.Shape;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.examples.ExampleModels;
import dev.pier.monitor.MonitorHttp;
import dev.pier.server.RunningServer;
import dev.pier.server.ServerOptions;
import dev.pier.serving.ServingOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live accuracy from feedback against a real server (in-process, port 0) serving an MNIST MLP on real MNIST
 * test images: the expected figures are computed here from the responses' own scores and the true labels.
 */
class FeedbackEndToEndTest {
    @TempDir
    static Path root;

    static RunningServer server;
    static MonitorHttp http;
    static LabeledData images;

    @BeforeAll
    static void start() throws Exception {
        ExampleModels.writeMnistRepository(root, 7);
        server = RunningServer.start(
                ServingOptions.of(root, null),
                new ServerOptions("127.0.0.1", 0, 0, ServerOptions.DEFAULT_MAX_BODY_BYTES, 1));
        http = new MonitorHttp(server.httpPort());
        images = Mnist.load(Mnist.Split.TEST, 120, MnistFetcher.defaultDir(), Shape.of(784));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** One answered request: its id, what the server predicted, the true labels. */
    private record Answered(String id, int[] predicted, int[] labels, boolean batched) {}

    private static Answered v2(String clientId, int from, int n, boolean batched) throws Exception {
        MonitorHttp.Reply r =
                http.post("/v2/models/mnist/infer", MonitorHttp.v2Body(clientId, images.features(), from, n));
        assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
        String id = r.body().get("id").asText();
        if (clientId != null) {
            assertThat(id).isEqualTo(clientId);
        }
        return new Answered(
                id,
                MonitorHttp.argmax(r.body()),
                java.util.Arrays.copyOfRange(images.labels(), from, from + n),
                batched);
    }

    @Test
    void feedbackWithKnownLabelsYieldsTheExactAccuracyPrecisionAndRecall() throws Exception {
        List<Answered> answered = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            answered.add(v2(i % 2 == 0 ? "client-" + i : null, i, 1, false)); // odd ones: server-made ids
        }
        for (int b = 0; b < 10; b++) {
            answered.add(v2(null, 60 + 5 * b, 5, true));
        }
        // TF Serving: the id travels in the X-Request-Id response header
        StringBuilder instances = new StringBuilder("{\"instances\":[[");
        for (int p = 0; p < 784; p++) {
            instances.append(p == 0 ? "" : ",").append(images.features()[110 * 784 + p]);
        }
        MonitorHttp.Reply tf =
                http.post("/v1/models/mnist:predict", instances.append("]]}").toString());
        assertThat(tf.status()).isEqualTo(200);
        String tfId = tf.headers().get("x-request-id").getFirst();
        JsonNode probs = tf.body().get("predictions").get(0);
        int tfClass = 0;
        for (int c = 1; c < 10; c++) {
            tfClass = probs.get(c).asDouble() > probs.get(tfClass).asDouble() ? c : tfClass;
        }
        answered.add(new Answered(tfId, new int[] {tfClass}, new int[] {images.labels()[110]}, false));

        JsonNode last = null;
        for (Answered a : answered.subList(0, 50)) {
            last = feedback(
                    a.batched()
                            ? "{\"id\":\"" + a.id() + "\",\"labels\":" + java.util.Arrays.toString(a.labels()) + "}"
                            : "{\"id\":\"" + a.id() + "\",\"label\":" + a.labels()[0] + "}");
            assertThat(last.get("correct").asBoolean()).isEqualTo(a.predicted()[0] == a.labels()[0]);
        }
        StringBuilder list = new StringBuilder("{\"feedback\":["); // the rest at once, the list form
        for (Answered a : answered.subList(50, answered.size())) {
            list.append(list.length() > 13 ? "," : "")
                    .append("{\"id\":\"")
                    .append(a.id())
                    .append("\",\"labels\":")
                    .append(java.util.Arrays.toString(a.labels()))
                    .append('}');
        }
        JsonNode results = feedback(list.append("]}").toString()).get("results");
        assertThat(results).hasSize(answered.size() - 50);
        last = results.get(results.size() - 1);

        int[][] confusion = new int[10][10];
        int rows = 0;
        int correct = 0;
        for (Answered a : answered) {
            for (int r = 0; r < a.labels().length; r++) {
                confusion[a.labels()[r]][a.predicted()[r]]++;
                rows++;
                correct += a.labels()[r] == a.predicted()[r] ? 1 : 0;
            }
        }
        assertThat(rows).isEqualTo(111);
        double accuracy = (double) correct / rows;
        double[] macro = macro(confusion);

        assertThat(last.get("accuracy").asDouble()).isEqualTo(accuracy);
        assertThat(last.get("feedback_count").asLong()).isEqualTo(rows);
        String scrape = http.get("/metrics");
        assertThat(MonitorHttp.metric(scrape, "pier_live_accuracy", "mnist", "1"))
                .isEqualTo(accuracy);
        assertThat(MonitorHttp.metric(scrape, "pier_feedback_rows", "mnist", "1"))
                .isEqualTo(rows);
        assertThat(MonitorHttp.metric(scrape, "pier_live_precision", "mnist", "1"))
                .isCloseTo(macro[0], within(1e-12));
        assertThat(MonitorHttp.metric(scrape, "pier_live_recall", "mnist", "1")).isCloseTo(macro[1], within(1e-12));
        assertThat(MonitorHttp.metric(scrape, "pier_live_f1", "mnist", "1")).isCloseTo(macro[2], within(1e-12));
        assertThat(last.get("precision").asDouble()).isCloseTo(macro[0], within(1e-12));
    }

    /** Macro precision, recall and F1 over the classes that occur as a label or a prediction (0 where undefined). */
    private static double[] macro(int[][] confusion) {
        double p = 0, r = 0, f = 0;
        int seen = 0;
        for (int c = 0; c < 10; c++) {
            int tp = confusion[c][c], predicted = 0, actual = 0;
            for (int o = 0; o < 10; o++) {
                predicted += confusion[o][c];
                actual += confusion[c][o];
            }
            if (predicted + actual == 0) {
                continue;
            }
            seen++;
            double pc = predicted == 0 ? 0 : (double) tp / predicted;
            double rc = actual == 0 ? 0 : (double) tp / actual;
            p += pc;
            r += rc;
            f += pc + rc == 0 ? 0 : 2 * pc * rc / (pc + rc);
        }
        return new double[] {p / seen, r / seen, f / seen};
    }

    private static JsonNode feedback(String body) throws Exception {
        MonitorHttp.Reply r = http.post("/v2/models/mnist/feedback", body);
        assertThat(r.status()).as("%s -> %s", body, r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    void badFeedbackGetsClearClientErrorsAndTheServerKeepsServing() throws Exception {
        Answered one = v2("bad-1", 0, 1, false);
        Answered batch = v2("bad-2", 1, 3, true);
        expect(400, "not json", "malformed JSON");
        expect(400, "[1,2]", "must be a JSON object");
        expect(400, "{\"label\": 3}", "'id' must be the request id");
        expect(400, "{\"id\": 5, \"label\": 3}", "'id' must be the request id");
        expect(400, "{\"id\": \"bad-1\"}", "give exactly one of 'label'");
        expect(400, "{\"id\": \"bad-1\", \"label\": 1, \"labels\": [1]}", "give exactly one of 'label'");
        expect(
                400,
                "{\"id\": \"bad-1\", \"label\": \"seven\"}",
                "'label' must be a class index (a non-negative integer), got string \"seven\"");
        expect(400, "{\"id\": \"bad-1\", \"label\": -1}", "'label' must be a class index");
        expect(400, "{\"id\": \"bad-1\", \"label\": 1.5}", "'label' must be a class index");
        expect(400, "{\"id\": \"bad-2\", \"label\": 1}", "had 3 row(s), so its feedback needs 3 label(s)");
        expect(400, "{\"feedback\": []}", "'feedback' must be a non-empty array");
        expect(
                400,
                "{\"feedback\": [{\"id\": \"bad-1\", \"label\": 1}, {\"id\": \"bad-2\", \"labels\": [1, \"x\"]}]}",
                "'feedback[1].labels[1]' must be a class index");
        expect(404, "{\"id\": \"no-such-request\", \"label\": 1}", "feedback joins the last 100000 answered");
        MonitorHttp.Reply other = http.post("/v2/models/other/feedback", "{\"id\": \"bad-1\", \"label\": 1}");
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.body().get("error").asText()).contains("was answered by model 'mnist', not 'other'");

        // nothing above was counted: the first valid feedback for bad-1 is accepted, a second one is refused
        assertThat(feedback("{\"id\": \"bad-1\", \"label\": " + one.labels()[0] + "}")
                        .get("correct")
                        .asBoolean())
                .isEqualTo(one.predicted()[0] == one.labels()[0]);
        expect(409, "{\"id\": \"bad-1\", \"label\": 1}", "already has feedback");
        assertThat(v2(null, 5, 2, true).predicted()).hasSize(2);
        assertThat(batch.predicted()).hasSize(3);
    }

    private static void expect(int status, String body, String message) throws Exception {
        MonitorHttp.Reply r = http.post("/v2/models/mnist/feedback", body);
        assertThat(r.status()).as("%s -> %s", body, r.body()).isEqualTo(status);
        assertThat(r.body().get("error").asText()).contains(message);
    }
}
