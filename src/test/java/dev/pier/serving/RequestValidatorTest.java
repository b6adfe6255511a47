package dev.pier.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.DataType;
import dev.pier.api.InferRequest;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelSignature;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {
    private static final ModelSignature SIG = new ModelSignature(
            List.of(
                    new TensorSpec("x", DataType.FP32, Shape.of(-1, 4)),
                    new TensorSpec("k", DataType.INT64, Shape.of(-1))),
            List.of(
                    new TensorSpec("y", DataType.FP32, Shape.of(-1, 3)),
                    new TensorSpec("z", DataType.INT64, Shape.of(-1))));

    static InferRequest request(List<Tensor> inputs, String... outputs) {
        return new InferRequest(
                "r1",
                "m",
                OptionalLong.empty(),
                inputs,
                java.util.Arrays.stream(outputs)
                        .map(o -> new InferRequest.RequestedOutput(o, Map.of()))
                        .toList(),
                Map.of());
    }

    private static Tensor x(int batch) {
        return Tensor.ofFloats("x", Shape.of(batch, 4), new float[batch * 4]);
    }

    private static Tensor k(int batch) {
        return Tensor.ofLongs("k", Shape.of(batch), new long[batch]);
    }

    @Test
    void validRequestsGetTheirOutputsInTheAskedOrder() {
        assertThat(RequestValidator.validate(request(List.of(x(2), k(2))), SIG, 0))
                .containsExactly("y", "z");
        assertThat(RequestValidator.validate(request(List.of(k(2), x(2)), "z", "y"), SIG, 4))
                .containsExactly("z", "y");
    }

    @Test
    void everyMistakeNamesTheTensor() {
        assertThatThrownBy(() -> RequestValidator.validate(request(List.of(x(1))), SIG, 0))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("needs input 'k'");
        assertThatThrownBy(() -> RequestValidator.validate(
                        request(List.of(x(1), k(1), Tensor.ofFloats("w", Shape.of(1), 1f))), SIG, 0))
                .hasMessageContaining("no input 'w'")
                .hasMessageContaining("[x, k]");
        assertThatThrownBy(() -> RequestValidator.validate(
                        request(List.of(Tensor.ofLongs("x", Shape.of(1, 4), 1, 2, 3, 4), k(1))), SIG, 0))
                .hasMessageContaining("input 'x' must be FP32, got INT64");
        assertThatThrownBy(() -> RequestValidator.validate(
                        request(List.of(Tensor.ofFloats("x", Shape.of(1, 3), 1, 2, 3), k(1))), SIG, 0))
                .hasMessageContaining("input 'x' must have shape [-1, 4]")
                .hasMessageContaining("got [1, 3]");
        assertThatThrownBy(() -> RequestValidator.validate(request(List.of(x(1), x(1), k(1))), SIG, 0))
                .hasMessageContaining("'x' is given twice");
        assertThatThrownBy(() -> RequestValidator.validate(request(List.of(x(1), k(1)), "q"), SIG, 0))
                .hasMessageContaining("no output 'q'")
                .hasMessageContaining("[y, z]");
        assertThatThrownBy(() -> RequestValidator.validate(request(List.of(x(1), k(1)), "y", "y"), SIG, 0))
                .hasMessageContaining("'y' is requested twice");
    }

    @Test
    void batchLimitsApplyWhenTheModelBatches() {
        assertThatThrownBy(() -> RequestValidator.validate(request(List.of(x(5), k(5))), SIG, 4))
                .hasMessageContaining("batch size 5, more than the model's max_batch_size 4");
        assertThatThrownBy(() -> RequestValidator.validate(request(List.of(x(2), k(3))), SIG, 4))
                .hasMessageContaining("share the batch size");
        assertThat(RequestValidator.validate(request(List.of(x(5), k(3))), SIG, 0))
                .hasSize(2);
    }
}
