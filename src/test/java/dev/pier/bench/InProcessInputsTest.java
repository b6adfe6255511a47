package dev.pier.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.DataType;
import dev.pier.api.Shape;
import dev.pier.api.TensorSpec;
import dev.pier.cli.PierCli;
import dev.pier.data.MnistFetcher;
import dev.pier.examples.ExampleModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pier bench --in-process} runs the baseline on the same inputs a server sweep sends. */
class InProcessInputsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aV2RequestFileIsTheBatchAndBringsItsOwnRowCount() throws Exception {
        Path model = ExampleModels.mnistMlp(7).save(tmp.resolve("mlp.onnx"));
        Random random = new Random(3);
        String data = IntStream.range(0, 2 * 784)
                .mapToObj(i -> Float.toString(random.nextFloat()))
                .collect(Collectors.joining(","));
        Path file = tmp.resolve("v2.json");
        Files.writeString(
                file,
                "{\"inputs\": [{\"name\": \"" + ExampleModels.MNIST_INPUT
                        + "\", \"datatype\": \"FP32\", \"shape\": [2, 784], \"data\": [" + data + "]}]}");
        Path json = tmp.resolve("r.json");
        assertThat(PierCli.execute(
                        "bench",
                        "--in-process",
                        model.toString(),
                        "--input",
                        file.toString(),
                        "--warmup",
                        "0s",
                        "--duration",
                        "200ms",
                        "--json",
                        json.toString()))
                .isZero();
        JsonNode r = JSON.readTree(json.toFile());
        assertThat(r.path("batchSize").asInt()).isEqualTo(2);
        assertThat(r.path("requests").asLong()).isPositive();

        Path wrong = tmp.resolve("wrong.json");
        Files.writeString(
                wrong,
                "{\"inputs\": [{\"name\": \"pixels\", \"datatype\": \"FP32\", \"shape\": [1, 1], \"data\": [1]}]}");
        assertThat(PierCli.execute(
                        "bench",
                        "--in-process",
                        model.toString(),
                        "--input",
                        wrong.toString(),
                        "--warmup",
                        "0s",
                        "--duration",
                        "100ms"))
                .isNotZero();
    }

    @Test
    void aDatasetGivesTheFirstImagesAsOneBatch() throws Exception {
        Path dir = MnistFetcher.ensure(MnistFetcher.defaultDir());
        InProcessInputs.Batch b = InProcessInputs.of(
                List.of(new TensorSpec("x", DataType.FP32, Shape.of(-1, 784))), 3, null, "mnist:test", dir);
        assertThat(b.rows()).isEqualTo(3);
        var t = b.inputs().get("x");
        assertThat(t.shape()).isEqualTo(Shape.of(3, 784));
        byte[] idx = Files.readAllBytes(dir.resolve("t10k-images-idx3-ubyte"));
        float[] got = t.floats();
        for (int i = 0; i < 3 * 784; i++) {
            assertThat(got[i]).isEqualTo((idx[16 + i] & 0xFF) / 255f);
        }
    }
}
