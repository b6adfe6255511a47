package dev.pier.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.evaluate.report.HtmlReportWriter;
import dev.pier.evaluate.report.JsonReportWriter;
import dev.pier.onnx.SequentialGraph;
import dev.pier.runtime.onnx.OrtEngine;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real MNIST test images through real ONNX models built with Pier's writer, run by ONNX Runtime. */
class EvaluatorEndToEndTest {

    private static final int N = 400;
    private static final EvaluateOptions FAST =
            EvaluateOptions.defaults().withBatchSize(64).withLatencyRuns(30, 3);

    @TempDir
    static Path dir;

    static LabeledData test;
    static NearestMeanClassifier classifier;
    static OrtEngine engine;

    @BeforeAll
    static void setUp() throws Exception {
        Path data = MnistFetcher.defaultDir();
        classifier = new NearestMeanClassifier(Mnist.load(Mnist.Split.TRAIN, 5000, data, Shape.of(784)));
        test = Mnist.load("mnist:test:" + N, data, Shape.of(784));
        engine = new OrtEngine();
    }

    @AfterAll
    static void tearDown() {
        engine.close();
    }

    @Test
    void jsonHoldsEveryFigureAndAgreesWithAnIndependentRecomputation() throws Exception {
        Path model = classifier.saveFlat(dir.resolve("logits.onnx"), false);
        EvaluationReport report = new Evaluator(engine).evaluate(model, test, FAST.withTopK(3));
        Path json = dir.resolve("out/report.json");
        new JsonReportWriter().write(report, json);
        JsonNode j = new ObjectMapper().readTree(json.toFile());

        assertThat(j.fieldNames())
                .toIterable()
                .contains(
                        "accuracy",
                        "precision_macro",
                        "recall_macro",
                        "f1_macro",
                        "f1_weighted",
                        "per_class",
                        "confusion_matrix",
                        "top_k_accuracy",
                        "log_loss",
                        "ece",
                        "latency_ms",
                        "throughput",
                        "parameters",
                        "size_bytes",
                        "dataset",
                        "model",
                        "count");
        assertThat(report.outputKind()).isEqualTo(OutputKind.LOGITS);
        assertThat(report.inputLayout()).isEqualTo(InputLayout.FLAT);
        assertThat(j.get("count").asInt()).isEqualTo(N);
        assertThat(j.get("dataset").asText()).isEqualTo("mnist:test:" + N);
        assertThat(j.get("parameters").asLong()).isEqualTo(classifier.parameterCount());
        assertThat(j.get("size_bytes").asLong()).isEqualTo(Files.size(model));
        assertThat(j.get("latency_ms").get("p50").asDouble())
                .isPositive()
                .isLessThanOrEqualTo(j.get("latency_ms").get("p99").asDouble());
        assertThat(j.get("throughput").asDouble()).isPositive();
        try (var files = Files.list(json.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("report.json");
        }

        Reference ref = Reference.compute(classifier, test, 3);
        double accuracy = j.get("accuracy").asDouble();
        assertThat(accuracy).isGreaterThan(0.7); // chance is 0.1
        assertThat(accuracy).isCloseTo(ref.accuracy, within(2.0 / N)); // float32 vs double: a near-tie may flip
        assertThat(j.get("top_k_accuracy").asDouble()).isCloseTo(ref.topK, within(2.0 / N));
        assertThat(j.get("log_loss").asDouble()).isCloseTo(ref.logLoss, within(1e-3));
        assertThat(j.get("ece").asDouble()).isCloseTo(ref.ece, within(0.01));

        // The confusion matrix against the labels, and precision/recall/F1 recomputed from it.
        JsonNode cm = j.get("confusion_matrix");
        assertThat(cm.size()).isEqualTo(10);
        long trace = 0;
        double f1Sum = 0, f1Weighted = 0;
        for (int c = 0; c < 10; c++) {
            long rowSum = 0, colSum = 0;
            for (int k = 0; k < 10; k++) {
                rowSum += cm.get(c).get(k).asLong();
                colSum += cm.get(k).get(c).asLong();
            }
            long tp = cm.get(c).get(c).asLong();
            trace += tp;
            assertThat(rowSum).as("support of %d", c).isEqualTo(ref.support[c]);
            JsonNode pc = j.get("per_class").get(c);
            assertThat(pc.get("class").asInt()).isEqualTo(c);
            assertThat(pc.get("support").asLong()).isEqualTo(rowSum);
            assertThat(pc.get("precision").asDouble()).isCloseTo(colSum == 0 ? 0 : (double) tp / colSum, within(1e-12));
            assertThat(pc.get("recall").asDouble()).isCloseTo((double) tp / rowSum, within(1e-12));
            double f1 = 2.0 * tp / (rowSum + colSum);
            assertThat(pc.get("f1").asDouble()).isCloseTo(f1, within(1e-12));
            f1Sum += f1;
            f1Weighted += f1 * rowSum;
        }
        assertThat((double) trace / N).isEqualTo(accuracy);
        assertThat(j.get("f1_macro").asDouble()).isCloseTo(f1Sum / 10, within(1e-12));
        assertThat(j.get("f1_weighted").asDouble()).isCloseTo(f1Weighted / N, within(1e-12));
        assertThat(j.get("recall_macro").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void probabilitiesNchwAndNhwcModelsGiveTheSameVerdict() {
        EvaluationReport logits =
                new Evaluator(engine).evaluate(classifier.saveFlat(dir.resolve("l.onnx"), false), test, FAST);
        EvaluationReport probs =
                new Evaluator(engine).evaluate(classifier.saveFlat(dir.resolve("p.onnx"), true), test, FAST);
        EvaluationReport nchw = new Evaluator(engine).evaluate(classifier.saveNchw(dir.resolve("n.onnx")), test, FAST);
        assertThat(probs.outputKind()).isEqualTo(OutputKind.PROBABILITIES);
        assertThat(nchw.inputLayout()).isEqualTo(InputLayout.NCHW);
        assertThat(nchw.outputKind()).isEqualTo(OutputKind.LOGITS);
        assertThat(probs.accuracy()).isCloseTo(logits.accuracy(), within(1.0 / N));
        assertThat(nchw.accuracy()).isCloseTo(logits.accuracy(), within(1.0 / N));
        EvaluationReport nhwc =
                new Evaluator(engine).evaluate(classifier.saveNhwc(dir.resolve("nhwc.onnx")), test, FAST);
        assertThat(nhwc.inputLayout()).isEqualTo(InputLayout.NHWC);
        assertThat(nhwc.accuracy()).isCloseTo(logits.accuracy(), within(1.0 / N));
        assertThat(probs.logLoss()).isCloseTo(logits.logLoss(), within(0.05));
        // Forcing "probabilities" on a logits model is refused with the offending value named.
        assertThatThrownBy(() -> new Evaluator(engine)
                        .evaluate(dir.resolve("l.onnx"), test, FAST.withOutputKind(OutputKind.PROBABILITIES)))
                .hasMessageContaining("output kind is probabilities")
                .hasMessageContaining("--output-kind logits");
    }

    @Test
    void modelWantingColourImagesGetsAClearError() {
        Path model = SequentialGraph.start("rgb", "pixels", DataType.FP32, "batch", 3, 32, 32)
                .flatten()
                .linear(new float[3 * 32 * 32 * 10], 3 * 32 * 32, 10, new float[10])
                .finish("y", "batch", 10)
                .save(dir.resolve("rgb.onnx"));
        assertThatThrownBy(() -> new Evaluator(engine).evaluate(model, test, FAST))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("[-1, 3, 32, 32]")
                .hasMessageContaining("28x28")
                .hasMessageContaining("[N, 1, 28, 28]");
        assertThatThrownBy(() -> new Evaluator(engine).evaluate(dir.resolve("missing.onnx"), test, FAST))
                .hasMessageContaining("missing.onnx");
    }

    @Test
    void htmlIsSelfContainedWithChartsAndTheWorstMistakes() throws Exception {
        Path model = classifier.saveFlat(dir.resolve("h.onnx"), false);
        EvaluationReport report = new Evaluator(engine).evaluate(model, test, FAST);
        Path html = dir.resolve("report.html");
        new HtmlReportWriter().write(report, html);
        String page = Files.readString(html);

        assertThat(page).startsWith("<!doctype html>");
        assertThat(page)
                .contains(
                        "aria-label=\"confusion matrix heat map\"",
                        "aria-label=\"per-class F1 bars\"",
                        "aria-label=\"reliability diagram\"",
                        "class=\"diag\"");
        assertThat(page)
                .doesNotContainIgnoringCase("http://")
                .doesNotContainIgnoringCase("https://")
                .doesNotContainIgnoringCase("<script")
                .doesNotContainIgnoringCase("<link")
                .doesNotContainIgnoringCase("@import")
                .doesNotContainIgnoringCase("@font-face");
        assertThat(Pattern.compile("<svg").matcher(page).results().count()).isEqualTo(3);

        // The gallery: most confident mistakes first, each picture the dataset's own pixels.
        List<Misclassification> worst = report.worst();
        assertThat(worst).isNotEmpty();
        for (int i = 1; i < worst.size(); i++) {
            assertThat(worst.get(i).confidence())
                    .isLessThanOrEqualTo(worst.get(i - 1).confidence());
        }
        Misclassification first = worst.getFirst();
        assertThat(first.predicted()).isNotEqualTo(first.trueLabel());
        assertThat(first.trueLabel()).isEqualTo(test.labels()[first.index()]);
        Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")
                .matcher(page);
        assertThat(m.find()).isTrue();
        BufferedImage img =
                ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
        assertThat(img.getWidth()).isEqualTo(28);
        assertThat(img.getHeight()).isEqualTo(28);
        for (int p = 0; p < 784; p += 37) {
            int expected = Math.round(test.features()[first.index() * 784 + p] * 255);
            assertThat(img.getRaster().getSample(p % 28, p / 28, 0))
                    .as("pixel %d", p)
                    .isEqualTo(expected);
        }
        assertThat(page).contains("true " + first.trueLabel() + " → <b>" + first.predicted() + "</b>");
    }

    /** Figures recomputed in plain Java from the classifier's weights, sharing no code with the evaluator. */
    record Reference(double accuracy, double topK, double logLoss, double ece, long[] support) {
        static Reference compute(NearestMeanClassifier model, LabeledData data, int k) {
            int n = data.count();
            int hits = 0, topHits = 0;
            double loss = 0;
            double[] conf = new double[n];
            boolean[] ok = new boolean[n];
            long[] support = new long[10];
            for (int i = 0; i < n; i++) {
                double[] z = model.logits(data.features(), i * 784);
                double max = Double.NEGATIVE_INFINITY;
                for (double v : z) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (double v : z) {
                    sum += Math.exp(v - max);
                }
                int y = data.labels()[i];
                support[y]++;
                int best = 0;
                int above = 0;
                for (int c = 0; c < 10; c++) {
                    if (z[c] > z[best]) {
                        best = c;
                    }
                    if (z[c] > z[y]) {
                        above++;
                    }
                }
                double py = Math.exp(z[y] - max) / sum;
                loss -= Math.log(Math.min(Math.max(py, 2.220446049250313e-16), 1 - 2.220446049250313e-16));
                ok[i] = best == y;
                hits += ok[i] ? 1 : 0;
                topHits += above < k ? 1 : 0;
                conf[i] = Math.exp(z[best] - max) / sum;
            }
            double ece = 0;
            for (int b = 0; b < 15; b++) {
                double lo = b / 15.0, hi = (b + 1) / 15.0;
                int cnt = 0, right = 0;
                double cs = 0;
                for (int i = 0; i < n; i++) {
                    if ((conf[i] > lo || b == 0) && conf[i] <= hi) {
                        cnt++;
                        right += ok[i] ? 1 : 0;
                        cs += conf[i];
                    }
                }
                if (cnt > 0) {
                    ece += (double) cnt / n * Math.abs((double) right / cnt - cs / cnt);
                }
            }
            return new Reference((double) hits / n, (double) topHits / n, loss / n, ece, support);
        }
    }
}
