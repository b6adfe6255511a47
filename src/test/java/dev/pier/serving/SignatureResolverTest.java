package dev.pier.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.DataType;
import dev.pier.api.ModelSignature;
import dev.pier.api.Shape;
import dev.pier.api.TensorSpec;
import dev.pier.repository.ModelConfig;
import dev.pier.repository.ModelConfigParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureResolverTest {
    private static final ModelSignature MODEL = new ModelSignature(
            List.of(new TensorSpec("x", DataType.FP32, Shape.of(-1, -1))),
            List.of(new TensorSpec("y", DataType.FP32, Shape.of(-1, 3))));

    private static ModelConfig config(String yaml) {
        return ModelConfigParser.parse(yaml, "config.yaml");
    }

    @Test
    void withoutOverridesTheModelSignatureServes() {
        assertThat(SignatureResolver.resolve(MODEL, config(""))).isEqualTo(MODEL);
    }

    @Test
    void configDimsMakeDynamicDimsConcreteAndBatchDimStaysDynamic() {
        ModelSignature s = SignatureResolver.resolve(MODEL, config("""
                max_batch_size: 4
                input: [{name: x, data_type: TYPE_FP32, dims: [4]}]
                output: [{name: y, dims: [-1]}]
                """));
        assertThat(s.input("x").orElseThrow().shape()).isEqualTo(Shape.of(-1, 4));
        assertThat(s.output("y").orElseThrow().shape()).isEqualTo(Shape.of(-1, 3));
    }

    @Test
    void mismatchesAreRefusedWithTheTensorNamed() {
        assertThatThrownBy(() -> SignatureResolver.resolve(MODEL, config("input: [{name: z}]")))
                .hasMessageContaining("input 'z' is not an input of the model")
                .hasMessageContaining("[x]");
        assertThatThrownBy(() -> SignatureResolver.resolve(MODEL, config("input: [{name: x, data_type: TYPE_INT64}]")))
                .hasMessageContaining("input 'x' has data_type TYPE_INT64 but the model declares TYPE_FP32");
        assertThatThrownBy(() -> SignatureResolver.resolve(MODEL, config("output: [{name: y, dims: [-1, 4]}]")))
                .hasMessageContaining("output 'y' has dims [-1, 4]")
                .hasMessageContaining("[-1, 3]");
        assertThatThrownBy(() -> SignatureResolver.resolve(
                        MODEL, config("max_batch_size: 2\noutput: [{name: y, dims: [-1, 3]}]")))
                .hasMessageContaining("with max_batch_size 2: [-1, -1, 3]");
        ModelSignature fixedBatch =
                new ModelSignature(List.of(new TensorSpec("x", DataType.FP32, Shape.of(1, 4))), List.of());
        assertThatThrownBy(() -> SignatureResolver.resolve(fixedBatch, config("max_batch_size: 8")))
                .hasMessageContaining("max_batch_size 8")
                .hasMessageContaining("'x' has shape [1, 4]");
    }
}
