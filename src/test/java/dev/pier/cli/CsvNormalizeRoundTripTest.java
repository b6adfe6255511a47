package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 1: a CSV model trained with {@code --normalize} is evaluated, on the same raw file, with the
 * accuracy training reported, because the scaling travels inside the exported ONNX graph.
 */
class CsvNormalizeRoundTripTest {

    @TempDir
    Path dir;

    /**
     * Three iris-like classes named by strings, separable only after scaling: one feature in the thousands, one
     * around 0.001, so that an unscaled model (or scaled training and raw serving) cannot separate them.
     */
    private Path irisLike() throws Exception {
        Random r = new Random(7);
        String[] names = {"setosa", "versicolor", "virginica"};
        List<String> lines = new ArrayList<>(List.of("big,small,noise,species"));
        for (int i = 0; i < 150; i++) {
            int c = i % 3;
            lines.add(String.format(
                    java.util.Locale.ROOT,
                    "%.1f,%.6f,%.3f,%s",
                    5000 + 300 * c + r.nextGaussian() * 40,
                    0.001 + 0.0004 * (2 - c) + r.nextGaussian() * 0.00005,
                    r.nextGaussian(),
                    names[c]));
        }
        Path csv = dir.resolve("iris.csv");
        Files.write(csv, lines);
        return csv;
    }

    @Test
    void evaluatingTheTrainingFileGivesTheTrainingAccuracy() throws Exception {
        Path csv = irisLike();
        Path model = dir.resolve("iris.onnx");
        CliRun train = CliRun.of(
                "train",
                "--dataset",
                "csv:" + csv,
                "--normalize",
                "standard",
                "--arch",
                "mlp:16",
                "--epochs",
                "40",
                "--batch-size",
                "16",
                "--lr",
                "0.01",
                "--validation-split",
                "0",
                "--seed",
                "3",
                "--output",
                model.toString(),
                "--no-progress");
        assertThat(train.exit()).as(train.err()).isZero();
        assertThat(dir.resolve("iris.labels.txt")).hasContent("setosa\nversicolor\nvirginica");
        assertThat(train.out()).contains("class names: " + dir.resolve("iris.labels.txt"));

        Path json = dir.resolve("eval.json");
        CliRun eval = CliRun.of(
                "evaluate",
                "--model",
                model.toString(),
                "--dataset",
                "csv:" + csv,
                "--json",
                json.toString(),
                "--latency-runs",
                "3",
                "--no-profile");
        assertThat(eval.exit()).as(eval.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        double accuracy = j.get("accuracy").asDouble();
        assertThat(accuracy).as(eval.out()).isGreaterThan(0.95);
        assertThat(eval.out()).contains("rows/s").doesNotContain("images/s").doesNotContain("top-5");
        assertThat(j.get("throughput_unit").asText()).isEqualTo("rows/s");

        // the training-time figure on the same rows: the last epoch's training accuracy
        JsonNode log =
                new ObjectMapper().readTree(dir.resolve("iris.train.json").toFile());
        JsonNode last = log.get("epochs").get(log.get("epochs").size() - 1);
        assertThat(accuracy).isCloseTo(last.get("trainAccuracy").asDouble(), within(0.05));

        // the scaling survives an import (pruning's retraining re-exports imported networks)
        try (dev.pier.train.DjlNetwork imported = dev.pier.train.OnnxImporter.load(model)) {
            assertThat(imported.inputScaling()).isNotNull();
            assertThat(imported.inputScaling().columns()).isEqualTo(3);
        }
    }
}
