package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.Shape;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.examples.ExampleModels;
import dev.pier.monitor.MonitorHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pier serve --prediction-log} as a real process: both protocols' ids, feedback, metrics, the files after SIGTERM. */
class PredictionLogEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void servedRequestsAndTheirFeedbackAreLoggedUnderTheIdsTheClientsSaw() throws Exception {
        ExampleModels.writeMnistRepository(dir.resolve("models"), 5);
        LabeledData images = Mnist.load(Mnist.Split.TEST, 2, MnistFetcher.defaultDir(), Shape.of(784));
        Path log = dir.resolve("log");
        PierProcess pier = PierProcess.serve(
                "--model-repository",
                dir.resolve("models").toString(),
                "--prediction-log",
                log.toString(),
                "--prediction-log-sample-rate",
                "1",
                "--prediction-log-max-file-bytes",
                "65536",
                "--prediction-log-max-files",
                "2",
                "--drain-seconds",
                "0");
        String v2Id;
        try {
            MonitorHttp http = new MonitorHttp(pier.httpPort());
            StringBuilder tfBody = new StringBuilder("{\"instances\":[[");
            for (int p = 0; p < 784; p++) {
                tfBody.append(p == 0 ? "" : ",").append(images.features()[p]);
            }
            MonitorHttp.Reply tf =
                    http.post("/v1/models/mnist:predict", tfBody.append("]]}").toString(), "X-Request-Id", "tf-1");
            assertThat(tf.status()).isEqualTo(200);
            assertThat(tf.headers().get("x-request-id")).containsExactly("tf-1");
            MonitorHttp.Reply v2 =
                    http.post("/v2/models/mnist/infer", MonitorHttp.v2Body(null, images.features(), 1, 1));
            assertThat(v2.status()).isEqualTo(200);
            v2Id = v2.body().get("id").asText();
            assertThat(v2Id).hasSize(36); // a generated UUID

            for (String[] f : new String[][] {{"tf-1", "" + images.labels()[0]}, {v2Id, "" + images.labels()[1]}}) {
                MonitorHttp.Reply r =
                        http.post("/v2/models/mnist/feedback", "{\"id\":\"" + f[0] + "\",\"label\":" + f[1] + "}");
                assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
            }
            String metrics = http.get("/metrics");
            assertThat(MonitorHttp.metric(metrics, "pier_feedback_rows", "mnist", "1"))
                    .isEqualTo(2.0);
            assertThat(MonitorHttp.metric(metrics, "pier_prediction_log_dropped"))
                    .isEqualTo(0.0);
            pier.terminate();
            assertThat(pier.waitForExit(30)).isZero();
        } finally {
            pier.close();
        }

        List<JsonNode> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(log)) {
            for (Path f : files.toList()) {
                assertThat(f.getFileName().toString()).matches("predictions-\\d{8}T\\d{6}Z-\\d{6}\\.jsonl");
                for (String line : Files.readAllLines(f)) {
                    records.add(new ObjectMapper().readTree(line));
                }
            }
        }
        assertThat(records)
                .extracting(r -> r.get("type").asText() + " " + r.get("id").asText())
                .containsExactlyInAnyOrder(
                        "prediction tf-1", "prediction " + v2Id, "feedback tf-1", "feedback " + v2Id);
        JsonNode tfRecord = records.stream()
                .filter(r -> r.get("id").asText().equals("tf-1")
                        && r.get("type").asText().equals("prediction"))
                .findFirst()
                .orElseThrow();
        assertThat(tfRecord.get("model").asText()).isEqualTo("mnist");
        assertThat(tfRecord.get("version").asLong()).isEqualTo(1);
        assertThat(tfRecord.get("inputs").get(0).get("data").get(200).floatValue())
                .isEqualTo(images.features()[200]);
    }

    @Test
    void badPredictionLogOptionsAreRefusedWithTheirNames() throws Exception {
        PierProcess.Result r = PierProcess.run(
                dir, "serve", "model.onnx", "--prediction-log", "log", "--prediction-log-sample-rate", "2");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.output()).contains("--prediction-log-sample-rate must be in [0, 1], got 2.0");
    }
}
