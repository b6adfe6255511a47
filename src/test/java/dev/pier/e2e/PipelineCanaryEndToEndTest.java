package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.api.Shape;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.pipeline.CanaryWatch;
import dev.pier.pipeline.PipelineRunner;
import dev.pier.pipeline.RunRecord;
import dev.pier.pipeline.RunStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The continuous-improvement loop against a real {@code pier serve --model-control poll}: a published version's metadata
 * carries its run id; a canary that answers its labelled traffic well is promoted by {@code watch}, and one whose live
 * accuracy is bad is rolled back, each decision recorded in its run and written to the repository's config.
 */
class PipelineCanaryEndToEndTest {
    static final int ROWS = 25;

    @TempDir
    Path dir;

    String pipeline(String train, String gates, String canary) {
        return "name: digits\n"
                + "data:    {train: \"mnist:train:1200\", test: \"mnist:test:300\"}\n"
                + "train:   {arch: \"mlp:16\", " + train + ", seed: 7}\n"
                + "gates:   {" + gates + "}\n"
                + "publish: {repository: models, model: digits" + canary + "}\n";
    }

    RunRecord run(String yaml, Optional<URI> server) throws Exception {
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, yaml);
        return new PipelineRunner()
                .run(new PipelineRunner.Options(
                        file,
                        Optional.empty(),
                        Optional.empty(),
                        false,
                        false,
                        server,
                        MnistFetcher.defaultDir(),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        false));
    }

    @Test
    void canaryPromotedThenAnotherRolledBack() throws Exception {
        RunRecord first = run(pipeline("epochs: 1, lr: 0.001", "accuracy: {min: 0.2}", ""), Optional.empty());
        Path repo = dir.resolve("models");
        LabeledData test = Mnist.load("mnist:test:" + ROWS, MnistFetcher.defaultDir(), Shape.of(784));
        try (PierProcess pier = PierProcess.serve(
                "--model-repository",
                repo.toString(),
                "--model-control",
                "poll",
                "--poll-interval",
                "200ms",
                "--drain-seconds",
                "0",
                "--prediction-log",
                dir.resolve("log").toString())) {
            Http http = new Http(pier.httpPort());
            URI server = URI.create("http://127.0.0.1:" + pier.httpPort());
            JsonNode meta = http.get("/v2/models/digits").json();
            assertThat(meta.path("parameters").path("run_id").asText()).isEqualTo(first.runId());

            // a better canary, judged against the version the server says it serves
            RunRecord second = run(
                    pipeline("epochs: 2, lr: 0.003", "accuracy: {min: 0.3}, baseline: serving", ", canary: 10"),
                    Optional.of(server));
            assertThat(((Number) second.published().get("version")).longValue()).isEqualTo(2L);
            assertThat(Files.readString(repo.resolve("digits/config.yaml")))
                    .contains("traffic")
                    .contains("\"2\": 10");
            awaitReady(http, 2);
            assertThat(http.get("/v2/models/digits/versions/2")
                            .json()
                            .path("parameters")
                            .path("run_id")
                            .asText())
                    .isEqualTo(second.runId());
            answerAndLabel(http, 2, test, true);
            CanaryWatch.Decision promoted = watch(second.runId(), server);
            assertThat(promoted.decision()).as(promoted.reason()).isEqualTo("promoted");
            assertThat(promoted.liveAccuracy()).isGreaterThan(0.5);
            assertThat(Files.readString(repo.resolve("digits/config.yaml"))).doesNotContain("traffic");
            assertThat(new RunStore(dir).read(second.runId()).decisions())
                    .singleElement()
                    .satisfies(d -> assertThat(d).containsEntry("decision", "promoted"));

            // a canary whose labelled traffic says it is wrong: rolled back to version 2
            RunRecord third =
                    run(pipeline("epochs: 3, lr: 0.003", "accuracy: {min: 0.3}", ", canary: 10"), Optional.of(server));
            assertThat(((Number) third.published().get("version")).longValue()).isEqualTo(3L);
            awaitReady(http, 3);
            answerAndLabel(http, 3, test, false);
            CanaryWatch.Decision rolledBack = watch(third.runId(), server);
            assertThat(rolledBack.decision()).isEqualTo("rolled_back");
            assertThat(rolledBack.stable()).isEqualTo(2L);
            assertThat(rolledBack.reason()).contains("live accuracy");
            String config = Files.readString(repo.resolve("digits/config.yaml"));
            assertThat(config).doesNotContain("traffic").contains("- 2");
            assertThat(new RunStore(dir).read(third.runId()).decisions())
                    .singleElement()
                    .satisfies(d -> assertThat(d).containsEntry("decision", "rolled_back"));
            pier.terminate();
            assertThat(pier.waitForExit(30)).isZero();
        }

        // retraining on production: the logged, labelled traffic joins the training data and reruns data and train
        RunRecord fourth = run(
                pipeline("epochs: 3, lr: 0.003", "accuracy: {min: 0.3}", "")
                        .replace("test: \"mnist:test:300\"}", "test: \"mnist:test:300\", extra: \"log:log\"}"),
                Optional.empty());
        assertThat(fourth.stages().get(0).status()).isEqualTo("ran");
        assertThat(fourth.stages().get(0).result()).containsKey("extra");
        assertThat(((Number) ((java.util.Map<?, ?>)
                                        fourth.stages().get(0).result().get("extra"))
                                .get("examples"))
                        .intValue())
                .isEqualTo(2 * ROWS);
        assertThat(fourth.stages().get(1).status()).isEqualTo("ran");
        assertThat(((Number) fourth.stages().get(1).result().get("train_examples")).intValue()
                        + ((Number) fourth.stages().get(1).result().get("validation_examples")).intValue())
                .isEqualTo(1200 + 2 * ROWS);
    }

    CanaryWatch.Decision watch(String runId, URI server) throws InterruptedException {
        return new CanaryWatch()
                .watch(new CanaryWatch.Options(
                        dir,
                        runId,
                        server,
                        Duration.ofSeconds(2),
                        Duration.ofMillis(500),
                        0.5,
                        10.0,
                        20,
                        null,
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    }

    static void awaitReady(Http http, long version) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (http.get("/v2/models/digits/versions/" + version + "/ready").status() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("version " + version + " never became ready");
    }

    /** Sends every test image to the version, then the true labels (or wrong ones) as feedback. */
    static void answerAndLabel(Http http, long version, LabeledData test, boolean truthful) throws Exception {
        for (int i = 0; i < test.count(); i++) {
            StringBuilder body = new StringBuilder("{\"id\":\"v" + version + "-" + i
                    + "\",\"inputs\":[{\"name\":\"input\",\"shape\":[1,784],\"datatype\":\"FP32\",\"data\":[");
            for (int p = 0; p < 784; p++) {
                body.append(p == 0 ? "" : ",").append(test.features()[i * 784 + p]);
            }
            Http.Answer a = http.post(
                    "/v2/models/digits/versions/" + version + "/infer",
                    body.append("]}]}").toString());
            assertThat(a.status()).as(a.text()).isEqualTo(200);
            int label = truthful ? test.labels()[i] : (test.labels()[i] + 5) % 10;
            Http.Answer f = http.post(
                    "/v2/models/digits/feedback", "{\"id\":\"v" + version + "-" + i + "\",\"label\":" + label + "}");
            assertThat(f.status()).as(f.text()).isEqualTo(200);
        }
    }
}
