package dev.pier.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.DataType;
import dev.pier.api.InferRequest;
import dev.pier.api.Shape;
import dev.pier.api.TensorSpec;
import dev.pier.cli.PierCli;
import dev.pier.data.MnistFetcher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a load test's requests come from: MNIST images, or a request file sent as given. */
class BenchInputsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void mnistRequestsAreTheFirstTestImagesInTheModelsLayout() throws Exception {
        Path dir = MnistFetcher.ensure(MnistFetcher.defaultDir());
        List<InferRequest> requests = BenchInputs.mnist(
                "m", List.of(new TensorSpec("pixels", DataType.FP32, Shape.of(-1, 1, 28, 28))), "mnist:test", dir);
        assertThat(requests).hasSize(BenchInputs.DISTINCT);
        // expectations straight from the IDX file: a 16-byte header, then 784 unsigned bytes per image
        byte[] idx = Files.readAllBytes(dir.resolve("t10k-images-idx3-ubyte"));
        for (int i : new int[] {0, 1, BenchInputs.DISTINCT - 1}) {
            var t = requests.get(i).inputs().get(0);
            assertThat(t.name()).isEqualTo("pixels");
            assertThat(t.shape()).isEqualTo(Shape.of(1, 1, 28, 28));
            float[] got = t.floats();
            for (int p = 0; p < 784; p++) {
                assertThat(got[p]).isEqualTo((idx[16 + i * 784 + p] & 0xFF) / 255f);
            }
        }
    }

    @Test
    void mnistRefusesAModelWhoseInputIsNotAnImageRow() {
        assertThatThrownBy(() -> BenchInputs.mnist(
                        "m",
                        List.of(new TensorSpec("x", DataType.FP32, Shape.of(-1, 10))),
                        "mnist:test",
                        MnistFetcher.defaultDir()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[-1, 10]")
                .hasMessageContaining("784");
    }

    @Test
    void aRequestFileIsSentAsGivenOverTfServingAndAsTheSameTensorOverV2() throws Exception {
        Path tf = tmp.resolve("tf.json");
        Files.writeString(tf, "{\"instances\": [[0.25, 0.5, 0.75]]}");
        Path v2 = tmp.resolve("v2.json");
        Files.writeString(
                v2,
                "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 3], \"data\": [0.25, 0.5, 0.75]}]}");
        try (DelayedV2Server server = new DelayedV2Server(0, -1, 0, 200, false)) {
            String url = "http://127.0.0.1:" + server.port();
            assertThat(PierCli.execute(
                            "bench",
                            "--url",
                            url,
                            "--model",
                            "m",
                            "--protocol",
                            "tfserving",
                            "--input",
                            tf.toString(),
                            "--concurrency",
                            "1",
                            "--duration",
                            "200ms",
                            "--warmup",
                            "0s"))
                    .isZero();
            assertThat(server.lastPath.get()).isEqualTo("/v1/models/m:predict");
            assertThat(server.lastBody.get()).isEqualTo(Files.readAllBytes(tf));

            assertThat(PierCli.execute(
                            "bench",
                            "--url",
                            url,
                            "--model",
                            "m",
                            "--protocol",
                            "rest",
                            "--input",
                            v2.toString(),
                            "--concurrency",
                            "1",
                            "--duration",
                            "200ms",
                            "--warmup",
                            "0s"))
                    .isZero();
            assertThat(server.lastPath.get()).isEqualTo("/v2/models/m/infer");
            JsonNode sent = JSON.readTree(new String(server.lastBody.get(), StandardCharsets.UTF_8))
                    .path("inputs")
                    .get(0);
            assertThat(sent.path("name").asText()).isEqualTo("x");
            assertThat(sent.path("datatype").asText()).isEqualTo("FP32");
            assertThat(sent.path("shape").toString()).isEqualTo("[1,3]");
            assertThat(sent.path("data").toString()).isEqualTo("[0.25,0.5,0.75]");
        }
    }
}
