package dev.pier.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.Shape;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.monitor.MonitorHttp;
import dev.pier.monitor.log.PredictionLogOptions;
import dev.pier.monitor.log.PredictionMonitoringOptions;
import dev.pier.server.RunningServer;
import dev.pier.server.ServerOptions;
import dev.pier.server.ServerSetup;
import dev.pier.serving.ServingOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code baseline: serving} on labelled logged traffic: a real server logs its answers to real MNIST images, the
 * feedback labels each with the served version's own answer (so production is right by definition on that traffic),
 * and a retraining run with {@code data.extra: log:DIR} evaluates candidate and served version on the held-out logged
 * rows as well as on the test data. The candidate beats the served version on the test data but not on the traffic,
 * so it is refused, with both figures in the run record.
 */
class PipelineTrafficBaselineTest {
    static final int ROWS = 100;

    @TempDir
    Path dir;

    String pipeline(int epochs, String extra) {
        return "name: digits\n"
                + "data:    {train: \"mnist:train:1200\", test: \"mnist:test:300\"" + extra + "}\n"
                + "train:   {arch: \"mlp:16\", epochs: " + epochs + ", lr: 0.003, seed: 7}\n"
                + "gates:   {baseline: serving}\n"
                + "publish: {repository: models, model: digits}\n";
    }

    RunRecord run(String yaml) throws Exception {
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, yaml);
        return new PipelineRunner()
                .run(new PipelineRunner.Options(
                        file,
                        Optional.empty(),
                        Optional.empty(),
                        false,
                        false,
                        Optional.empty(),
                        MnistFetcher.defaultDir(),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        false));
    }

    @Test
    void candidateAndServedVersionAreComparedOnHeldOutLabelledTrafficTooAndEitherFigureRefuses() throws Exception {
        RunRecord first = run(pipeline(1, ""));
        assertThat(first.published()).containsEntry("version", 1L);

        // production: version 1 answers images outside the test data; feedback confirms each of its answers
        LabeledData images = Mnist.load(Mnist.Split.TEST, 300 + ROWS, MnistFetcher.defaultDir(), Shape.of(784));
        PredictionMonitoringOptions logging = new PredictionMonitoringOptions(
                Optional.of(new PredictionLogOptions(dir.resolve("log"), 1.0, 1 << 20, 10, 4096)), 1000);
        try (RunningServer server = RunningServer.start(ServerSetup.of(
                        ServingOptions.of(dir.resolve("models"), null),
                        new ServerOptions("127.0.0.1", 0, 0, ServerOptions.DEFAULT_MAX_BODY_BYTES, 1))
                .withPredictions(logging))) {
            MonitorHttp http = new MonitorHttp(server.httpPort());
            for (int i = 300; i < 300 + ROWS; i++) {
                MonitorHttp.Reply r =
                        http.post("/v2/models/digits/infer", MonitorHttp.v2Body("r" + i, images.features(), i, 1));
                assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
                int answer = MonitorHttp.argmax(r.body())[0];
                MonitorHttp.Reply f =
                        http.post("/v2/models/digits/feedback", "{\"id\":\"r" + i + "\",\"label\":" + answer + "}");
                assertThat(f.status()).as("%s", f.body()).isEqualTo(200);
            }
        } // closing flushes the log

        // retraining on production's traffic: every fifth labelled row is held out for the gate, the rest trains
        assertThatThrownBy(() -> run(pipeline(2, ", extra: \"log:log\"")))
                .isInstanceOf(GateFailure.class)
                .hasMessageContaining("nothing published")
                .hasMessageContaining("accuracy on labelled logged traffic")
                .hasMessageContaining("served version 1's 1.0000");
        RunRecord refused = new RunStore(dir).read("latest");
        assertThat(refused.status()).isEqualTo("gate_failed");
        assertThat(refused.published()).isNull();
        Map<String, Object> data = refused.stages().get(0).result();
        assertThat(data.get("extra")).isInstanceOfSatisfying(Map.class, extra -> {
            assertThat(((Number) extra.get("examples")).intValue()).isEqualTo(ROWS * 4 / 5);
            assertThat(((Number) extra.get("held_out")).intValue()).isEqualTo(ROWS / 5);
        });
        assertThat(((Number) refused.stages().get(1).result().get("train_examples")).intValue()
                        + ((Number) refused.stages().get(1).result().get("validation_examples")).intValue())
                .isEqualTo(1200 + ROWS * 4 / 5);

        GateResult onTest = refused.gates().stream()
                .filter(g -> g.gate().equals("baseline"))
                .findFirst()
                .orElseThrow();
        GateResult onTraffic = refused.gates().stream()
                .filter(g -> g.gate().equals("baseline_traffic"))
                .findFirst()
                .orElseThrow();
        assertThat(onTest.passed()).as(onTest.message()).isTrue();
        assertThat(onTraffic.passed()).isFalse();
        assertThat(onTraffic.limit()).isEqualTo(1.0);
        assertThat(onTraffic.candidate()).isLessThan(1.0);
        // both figures, candidate's and served version's, on both data, in run.json
        assertThat(((Number) refused.baseline().get("traffic_accuracy")).doubleValue())
                .isEqualTo(1.0);
        assertThat(((Number) refused.baseline().get("traffic_examples")).intValue())
                .isEqualTo(ROWS / 5);
        assertThat(((Number) refused.candidate().get("traffic_accuracy")).doubleValue())
                .isEqualTo(onTraffic.candidate());
        assertThat(((Number) refused.candidate().get("accuracy")).doubleValue())
                .isGreaterThanOrEqualTo(((Number) refused.baseline().get("accuracy")).doubleValue());
        assertThat(Files.readString(new RunStore(dir).dir(refused.runId()).resolve("run.json")))
                .contains("traffic_accuracy");
        assertThat(new ModelRepository(dir.resolve("models"), "digits").versions())
                .containsExactly(1L);
    }
}
