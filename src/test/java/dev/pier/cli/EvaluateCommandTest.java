package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.onnx.Activation;
import dev.pier.onnx.DenseLayer;
import dev.pier.onnx.OnnxNetworks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pier evaluate} in-process: options reach the service, files are written, bad input exits 2. */
class EvaluateCommandTest {

    @TempDir
    Path dir;

    /** A softmax model that scores class c by the mean brightness of image row band c: valid, not accurate. */
    private Path model() {
        float[] w = new float[784 * 10];
        for (int p = 0; p < 784; p++) {
            w[p * 10 + Math.min(9, (p / 28) / 3)] = 0.05f;
        }
        return OnnxNetworks.mlp(List.of(new DenseLayer(784, 10, w, new float[10], Activation.SOFTMAX)))
                .save(dir.resolve("bands.onnx"));
    }

    @Test
    void writesJsonAndHtmlAndPrintsTheHeadline() throws Exception {
        Path model = model();
        Path json = dir.resolve("m.json");
        Path html = dir.resolve("m.html");
        CliRun run = CliRun.of(
                "evaluate",
                "--model",
                model.toString(),
                "--dataset",
                "mnist:test:200",
                "--json",
                json.toString(),
                "--report",
                html.toString(),
                "--top-k",
                "2",
                "--batch-size",
                "50",
                "--latency-runs",
                "5",
                "--output-kind",
                "PROBABILITIES",
                "--input-layout",
                "flat");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("accuracy", "top-2", "latency", "wrote " + json);
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertThat(j.get("count").asInt()).isEqualTo(200);
        assertThat(j.get("top_k").asInt()).isEqualTo(2);
        assertThat(j.get("output_kind").asText()).isEqualTo("probabilities");
        assertThat(j.get("throughput_batch_size").asInt()).isEqualTo(50);
        assertThat(j.get("latency_ms").get("runs").asInt()).isEqualTo(5);
        assertThat(Files.readString(html)).contains("<svg");
    }

    @Test
    void badOptionsExitWithUsageCodeAndOneClearLine() {
        Path model = model();
        CliRun layout = CliRun.of(
                "evaluate", "--model", model.toString(), "--dataset", "mnist:test:10", "--input-layout", "nchw");
        assertThat(layout.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(layout.err()).contains("expects FP32 [-1, 784]").contains("[N, 1, 28, 28]");

        CliRun kind = CliRun.of("evaluate", "--model", model.toString(), "--output-kind", "scores");
        assertThat(kind.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(kind.err())
                .contains(
                        "'--output-kind': expected one of [AUTO, PROBABILITIES, LOGITS] (case-insensitive) but was 'scores'");

        CliRun dataset = CliRun.of("evaluate", "--model", model.toString(), "--dataset", "cifar:test");
        assertThat(dataset.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(dataset.err()).contains("cifar:test");

        CliRun missing =
                CliRun.of("evaluate", "--model", dir.resolve("nope.onnx").toString(), "--dataset", "mnist:test:10");
        assertThat(missing.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(missing.err()).contains("nope.onnx");
    }

    @Test
    void refusesToWriteOverTheModel() throws Exception {
        Path model = model();
        byte[] before = Files.readAllBytes(model);
        CliRun run = CliRun.of(
                "evaluate", "--model", model.toString(), "--dataset", "mnist:test:10", "--json", model.toString());
        assertThat(run.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(run.err()).contains("is the model file itself");
        assertThat(Files.readAllBytes(model)).isEqualTo(before);
    }
}
