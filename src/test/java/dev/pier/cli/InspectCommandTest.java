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

class InspectCommandTest {

    @TempDir
    Path dir;

    private Path mlp() {
        DenseLayer l1 = new DenseLayer(3, 4, new float[12], new float[] {1, 0, 0, 2}, Activation.RELU);
        DenseLayer l2 = new DenseLayer(4, 2, new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new float[2], Activation.SOFTMAX);
        return OnnxNetworks.mlp(List.of(l1, l2)).save(dir.resolve("mlp.onnx"));
    }

    @Test
    void textListsInputsOutputsOpsetAndParameters() {
        Path file = mlp();
        CliRun r = CliRun.of("inspect", file.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("input")
                .contains("FP32")
                .contains("[batch, 3]")
                .contains("output")
                .contains("[batch, 2]")
                .contains("ai.onnx 17")
                .contains("pier")
                .contains("26 (10 non-zero")
                .contains("Gemm 2")
                .contains("Relu 1")
                .contains("Softmax 1");
    }

    @Test
    void jsonIsMachineReadable() throws Exception {
        Path file = mlp();
        CliRun r = CliRun.of("inspect", file.toString(), "--json");
        assertThat(r.exit()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("parameter_count").asLong()).isEqualTo(12 + 4 + 8 + 2);
        assertThat(json.get("non_zero_parameter_count").asLong()).isEqualTo(2 + 8);
        assertThat(json.get("file_size_bytes").asLong()).isEqualTo(Files.size(file));
        assertThat(json.get("opset_imports").get("ai.onnx").asLong()).isEqualTo(17);
        JsonNode input = json.get("inputs").get(0);
        assertThat(input.get("name").asText()).isEqualTo("input");
        assertThat(input.get("datatype").asText()).isEqualTo("FP32");
        assertThat(input.get("shape").toString()).isEqualTo("[-1,3]");
        assertThat(input.get("dims").toString()).isEqualTo("[\"batch\",\"3\"]");
        assertThat(json.get("op_histogram").get("Gemm").asInt()).isEqualTo(2);
    }

    @Test
    void missingOrInvalidFileIsOneLineAndNonZeroExit() throws Exception {
        CliRun missing = CliRun.of("inspect", dir.resolve("nope.onnx").toString());
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err().strip().lines()).hasSize(1);
        assertThat(missing.err()).contains("nope.onnx").contains("does not exist");

        Path junk = Files.writeString(dir.resolve("junk.onnx"), "junk");
        CliRun invalid = CliRun.of("inspect", junk.toString());
        assertThat(invalid.exit()).isNotZero();
        assertThat(invalid.err().strip().lines()).hasSize(1);
        assertThat(invalid.err()).contains("junk.onnx").contains("not a valid ONNX model");
    }
}
