package dev.pier.evaluate.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.evaluate.EvaluationReport;
import dev.pier.evaluate.InputLayout;
import dev.pier.evaluate.LatencyFigures;
import dev.pier.evaluate.Misclassification;
import dev.pier.evaluate.OutputKind;
import dev.pier.evaluate.metrics.Calibration;
import dev.pier.evaluate.metrics.ClassificationMetrics;
import dev.pier.evaluate.metrics.ConfusionMatrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writers on hand-made reports: keys and values, escaping, atomic replacement, very many classes. */
class ReportWritersTest {

    @TempDir
    Path dir;

    private static EvaluationReport report(String model, int classes, int[] truth, int[] predicted) {
        ConfusionMatrix cm = ConfusionMatrix.of(truth, predicted, classes);
        double[] conf = new double[truth.length];
        boolean[] ok = new boolean[truth.length];
        for (int i = 0; i < truth.length; i++) {
            conf[i] = 0.9;
            ok[i] = truth[i] == predicted[i];
        }
        List<Misclassification> worst = List.of(
                new Misclassification(1, truth[1], predicted[1], 0.9, new float[] {0, 0.5f, 1, 0.25f}, 1, 2, 2));
        return new EvaluationReport(
                model,
                "toy",
                truth.length,
                classes,
                OutputKind.LOGITS,
                InputLayout.FLAT,
                ClassificationMetrics.of(cm),
                cm,
                2,
                0.75,
                0.5,
                Calibration.of(conf, ok, 15),
                new LatencyFigures(0.1, 0.3, 10, 1),
                1234.5,
                8,
                42,
                1000,
                worst);
    }

    @Test
    void jsonCarriesTheReportUnderTheAgreedKeys() throws Exception {
        EvaluationReport r = report("m.onnx", 3, new int[] {0, 1, 2, 2}, new int[] {0, 2, 2, 2});
        Path out = dir.resolve("r.json");
        Files.writeString(out, "old content");
        new JsonReportWriter().write(r, out);
        JsonNode j = new ObjectMapper().readTree(out.toFile());
        assertThat(j.get("accuracy").asDouble()).isEqualTo(0.75);
        assertThat(j.get("per_class").get(1).get("precision").asDouble()).isZero(); // class 1 never predicted
        assertThat(j.get("per_class").get(2).get("precision").asDouble()).isEqualTo(2.0 / 3);
        assertThat(j.get("confusion_matrix").get(1).get(2).asLong()).isEqualTo(1);
        assertThat(j.get("top_k_accuracy").asDouble()).isEqualTo(0.75);
        assertThat(j.get("log_loss").asDouble()).isEqualTo(0.5);
        assertThat(j.get("ece").asDouble()).isEqualTo(r.ece());
        assertThat(j.get("latency_ms").get("p50").asDouble()).isEqualTo(0.1);
        assertThat(j.get("latency_ms").get("p99").asDouble()).isEqualTo(0.3);
        assertThat(j.get("throughput").asDouble()).isEqualTo(1234.5);
        assertThat(j.get("parameters").asLong()).isEqualTo(42);
        assertThat(j.get("size_bytes").asLong()).isEqualTo(1000);
        assertThat(j.get("calibration_bins")).hasSize(15);
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).containsExactly(out); // no temporary file left behind
        }
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
                .isEqualTo("rw-r--r--");
    }

    @Test
    void htmlEscapesNamesAndSkipsTheHeatMapForVeryManyClasses() {
        int k = HtmlReportWriter.MAX_HEATMAP_CLASSES + 1;
        String page = new HtmlReportWriter()
                .render(report("<script>alert(1)</script>.onnx", k, new int[] {0, 1, 2, 3}, new int[] {0, 2, 2, 3}));
        assertThat(page).doesNotContain("<script>").contains("&lt;script&gt;");
        assertThat(page).doesNotContain("confusion matrix heat map").contains(k + " classes are too many");
        assertThat(page).contains("per-class F1 bars", "reliability diagram", "data:image/png;base64,");

        String small =
                new HtmlReportWriter().render(report("m.onnx", 4, new int[] {0, 1, 2, 3}, new int[] {0, 2, 2, 3}));
        assertThat(small).contains("confusion matrix heat map").contains("true 1, predicted 2: 1 (100.0% of class 1)");
    }

    @Test
    void colourPngKeepsChannels() throws Exception {
        // 1x2 RGB, channels first: pixel 0 pure red, pixel 1 pure blue
        byte[] png = PngImages.png(new float[] {1, 0, 0, 0, 0, 1}, 3, 1, 2);
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        assertThat(img.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF0000);
        assertThat(img.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0x0000FF);
    }
}
