package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.runtime.ModelSession;
import dev.pier.runtime.SessionOptions;
import dev.pier.runtime.onnx.OrtEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pier quickstart} as a user runs it (a reduced training run): it trains on real MNIST, evaluates,
 * writes the repository, serves it, and prints a prediction that came over HTTP from the server: the printed
 * response equals the written model's own output for the first test image, computed here in-process.
 */
class QuickstartEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void quickstartTrainsEvaluatesServesAndAnswersOverHttp() throws Exception {
        PierProcess.Result run = PierProcess.run(
                dir,
                "quickstart",
                "--epochs",
                "1",
                "--train-limit",
                "6000",
                "--exit-after-demo",
                "--http-port",
                "0",
                "--grpc-port",
                "0",
                "--no-progress");
        assertThat(run.exitCode()).as(run.output()).isZero();

        Path version = dir.resolve("models/mnist/1");
        assertThat(version.resolve("model.onnx")).isRegularFile();
        assertThat(dir.resolve("models/mnist/config.yaml")).isRegularFile();
        // issue 18: the image graph and its test PNG are published beside the model, and it loads
        assertThat(dir.resolve("models/mnist_image/digit.png")).isRegularFile();
        assertThat(run.output())
                .contains("also publishing mnist_image")
                .doesNotContain("'mnist_image' version 1: LOADING -> FAILED");
        JsonNode evaluation =
                Http.JSON.readTree(version.resolve("evaluation.json").toFile());
        assertThat(evaluation.get("accuracy").asDouble())
                .as("test accuracy after one short epoch")
                .isGreaterThan(0.85);
        JsonNode log = Http.JSON.readTree(version.resolve("train.json").toFile());
        assertThat(log.get("epochs")).hasSize(1);
        assertThat(log.get("epochs").get(0).get("validationAccuracy").asDouble())
                .isGreaterThan(0.8);
        assertThat(Files.readString(version.resolve("evaluation.html"))).contains("<svg");

        Matcher served =
                Pattern.compile("REST .* on http://127\\.0\\.0\\.1:(\\d+)").matcher(run.output());
        assertThat(served.find()).as(run.output()).isTrue();
        Matcher demo = Pattern.compile(
                        "POST http://127\\.0\\.0\\.1:(\\d+)/v1/models/mnist:predict .* -> predicted (\\d) \\(p=[0-9.]+\\), true label (\\d)")
                .matcher(run.output());
        assertThat(demo.find()).as(run.output()).isTrue();
        assertThat(demo.group(1)).isEqualTo(served.group(1));

        LabeledData first = Mnist.load(Mnist.Split.TEST, 1, MnistFetcher.defaultDir(), Shape.of(784));
        assertThat(Integer.parseInt(demo.group(3))).isEqualTo(first.labels()[0]);
        Matcher response = Pattern.compile("pier: response (\\{.*})").matcher(run.output());
        assertThat(response.find()).isTrue();
        JsonNode predicted =
                Http.JSON.readTree(response.group(1)).get("predictions").get(0);

        // issue 19 item 10: the curl the quickstart suggests works as printed: request.json holds that test image
        Path request = dir.resolve("request.json");
        assertThat(run.output())
                .contains("curl -d @request.json http://127.0.0.1:" + served.group(1) + "/v1/models/mnist:predict");
        JsonNode instance =
                Http.JSON.readTree(request.toFile()).get("instances").get(0);
        assertThat(instance).hasSize(784);
        for (int i = 0; i < 784; i++) {
            assertThat((float) instance.get(i).asDouble()).isEqualTo(first.features()[i]);
        }

        try (OrtEngine engine = new OrtEngine();
                ModelSession session = engine.load(version.resolve("model.onnx"), SessionOptions.defaults())) {
            float[] expected = session.run(
                            Map.of("input", Tensor.ofFloats("input", Shape.of(1, 784), first.features())), List.of())
                    .get(0)
                    .floats();
            int best = 0;
            for (int c = 0; c < expected.length; c++) {
                assertThat(predicted.get(c).asDouble()).isCloseTo(expected[c], within(1e-6));
                best = expected[c] > expected[best] ? c : best;
            }
            assertThat(Integer.parseInt(demo.group(2))).isEqualTo(best);
        }
    }
}
