package dev.pier.monitor.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.Shape;
import dev.pier.cli.CliRun;
import dev.pier.cli.PierCli;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.evaluate.EvaluateOptions;
import dev.pier.evaluate.LogEvaluation;
import dev.pier.examples.ExampleModels;
import dev.pier.monitor.MonitorHttp;
import dev.pier.onnx.Activation;
import dev.pier.onnx.DenseLayer;
import dev.pier.onnx.OnnxNetworks;
import dev.pier.runtime.onnx.OrtEngine;
import dev.pier.server.RunningServer;
import dev.pier.server.ServerOptions;
import dev.pier.server.ServerSetup;
import dev.pier.serving.ServingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The continuous-evaluation loop end to end: a real server logs real MNIST traffic, feedback labels most of
 * it, and {@code pier evaluate --from-log} scores a candidate (a nearest-class-mean classifier) on exactly the
 * labelled rows; the expected figures come from a plain-Java forward pass and from the server's responses.
 */
class LogEvaluationEndToEndTest {
    @TempDir
    Path root;

    @Test
    void aCandidateIsScoredOnLoggedTrafficWithFeedbackBesideTheServedVersion() throws Exception {
        ExampleModels.writeMnistRepository(root.resolve("repo"), 11);
        LabeledData images = Mnist.load(Mnist.Split.TEST, 150, MnistFetcher.defaultDir(), Shape.of(784));
        Path logDir = root.resolve("log");
        PredictionMonitoringOptions monitoring = new PredictionMonitoringOptions(
                Optional.of(new PredictionLogOptions(logDir, 1.0, 1 << 20, 10, 4096)), 1000);

        boolean[] labelled = new boolean[images.count()];
        int[] served = new int[images.count()];
        try (RunningServer server = RunningServer.start(ServerSetup.of(
                        ServingOptions.of(root.resolve("repo"), null),
                        new ServerOptions("127.0.0.1", 0, 0, ServerOptions.DEFAULT_MAX_BODY_BYTES, 1))
                .withPredictions(monitoring))) {
            MonitorHttp http = new MonitorHttp(server.httpPort());
            for (int from = 0; from < images.count(); ) {
                int n = from < 100 ? 1 : 5;
                MonitorHttp.Reply r =
                        http.post("/v2/models/mnist/infer", MonitorHttp.v2Body(null, images.features(), from, n));
                assertThat(r.status()).isEqualTo(200);
                System.arraycopy(MonitorHttp.argmax(r.body()), 0, served, from, n);
                if (n > 1 || from % 5 != 0) { // every fifth single request gets no feedback
                    int[] labels = Arrays.copyOfRange(images.labels(), from, from + n);
                    MonitorHttp.Reply f = http.post(
                            "/v2/models/mnist/feedback",
                            "{\"id\":\"" + r.body().get("id").asText() + "\",\"labels\":" + Arrays.toString(labels)
                                    + "}");
                    assertThat(f.status()).as("%s", f.body()).isEqualTo(200);
                    Arrays.fill(labelled, from, from + n, true);
                }
                from += n;
            }
        } // closing flushes the log

        NearestMean candidate =
                new NearestMean(Mnist.load(Mnist.Split.TRAIN, 2000, MnistFetcher.defaultDir(), Shape.of(784)));
        Path candidateFile = candidate.save(root.resolve("candidate.onnx"));
        int rows = 0, candidateRight = 0, servedRight = 0;
        for (int i = 0; i < images.count(); i++) {
            if (labelled[i]) {
                rows++;
                candidateRight += candidate.predict(images.features(), i) == images.labels()[i] ? 1 : 0;
                servedRight += served[i] == images.labels()[i] ? 1 : 0;
            }
        }
        assertThat(rows).isEqualTo(130);

        try (OrtEngine engine = new OrtEngine()) {
            LogEvaluation.Result result = new LogEvaluation(engine)
                    .run(new LogEvaluation.Request(
                            logDir,
                            null,
                            OptionalLong.empty(),
                            candidateFile,
                            EvaluateOptions.defaults().withLatencyRuns(3, 1)));
            assertThat(result.traffic().predictions()).isEqualTo(110);
            assertThat(result.traffic().examples()).hasSize(90);
            assertThat(result.candidate().count()).isEqualTo(rows);
            assertThat(result.candidate().accuracy()).isEqualTo((double) candidateRight / rows);
            assertThat(result.servedOverall().rows()).isEqualTo(rows);
            assertThat(result.servedOverall().accuracy()).isEqualTo((double) servedRight / rows);
            assertThat(result.served())
                    .extracting(LogEvaluation.Served::version)
                    .containsExactly(1L);
        }

        CliRun cli = CliRun.of(
                "evaluate",
                "--from-log",
                logDir.toString(),
                "--model",
                candidateFile.toString(),
                "--latency-runs",
                "3");
        assertThat(cli.exit()).as(cli.err()).isZero();
        assertThat(cli.out())
                .contains(
                        "110 logged prediction(s), 90 feedback",
                        "90 joined request(s)",
                        String.format(
                                java.util.Locale.ROOT,
                                "candidate %.4f vs served %.4f",
                                (double) candidateRight / rows,
                                (double) servedRight / rows));

        CliRun noVersion = CliRun.of(
                "evaluate", "--from-log", logDir.toString(), "--model", candidateFile.toString(), "--log-version", "2");
        assertThat(noVersion.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(noVersion.err())
                .contains(
                        "0 logged prediction(s) and 0 feedback record(s) for version 2",
                        "POST /v2/models/<model>/feedback");
        Path empty = Files.createDirectories(root.resolve("empty"));
        CliRun none = CliRun.of("evaluate", "--from-log", empty.toString(), "--model", candidateFile.toString());
        assertThat(none.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(none.err()).contains("no prediction log files (predictions-*.jsonl) in " + empty);
        CliRun otherModel = CliRun.of(
                "evaluate",
                "--from-log",
                logDir.toString(),
                "--model",
                candidateFile.toString(),
                "--log-model",
                "resnet");
        assertThat(otherModel.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(otherModel.err()).contains("0 logged prediction(s)");
    }

    /** Scores class c by x·μc − ‖μc‖²/2 (nearest class mean), with the means of real training images. */
    private static final class NearestMean {
        final float[] weights = new float[784 * 10];
        final float[] bias = new float[10];

        NearestMean(LabeledData train) {
            double[][] sum = new double[10][784];
            int[] count = new int[10];
            for (int i = 0; i < train.count(); i++) {
                count[train.labels()[i]]++;
                for (int f = 0; f < 784; f++) {
                    sum[train.labels()[i]][f] += train.features()[i * 784 + f];
                }
            }
            for (int c = 0; c < 10; c++) {
                double norm = 0;
                for (int f = 0; f < 784; f++) {
                    float mean = (float) (sum[c][f] / count[c]);
                    weights[f * 10 + c] = mean;
                    norm += (double) mean * mean;
                }
                bias[c] = (float) (-norm / 2);
            }
        }

        Path save(Path file) {
            return OnnxNetworks.mlp(List.of(new DenseLayer(784, 10, weights, bias, Activation.NONE)))
                    .save(file);
        }

        int predict(float[] pixels, int row) {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 10; c++) {
                double s = bias[c];
                for (int f = 0; f < 784; f++) {
                    s += (double) pixels[row * 784 + f] * weights[f * 10 + c];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = c;
                }
            }
            return best;
        }
    }
}
