package dev.pier.serving.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.DataType;
import dev.pier.api.ModelNotFoundException;
import dev.pier.api.ModelSignature;
import dev.pier.api.Shape;
import dev.pier.api.TensorSpec;
import dev.pier.repository.EnsembleScheduling;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The load-time checks of an ensemble's graph, each error naming the step and the tensor. */
class EnsembleGraphTest {
    static final Shape ROW6 = Shape.of(-1, 6);

    /** double: x FP32 [-1,6] -> y; mlp: x FP32 [-1,6] -> probs [-1,3]; ints: x INT64 [-1,6] -> y. */
    static final Map<String, ModelSignature> MODELS = Map.of(
            "double", sig("x", DataType.FP32, ROW6, "y", DataType.FP32, ROW6),
            "mlp", sig("x", DataType.FP32, ROW6, "probs", DataType.FP32, Shape.of(-1, 3)),
            "ints", sig("x", DataType.INT64, ROW6, "y", DataType.INT64, ROW6));

    static ModelSignature sig(String in, DataType inType, Shape inShape, String out, DataType outType, Shape outShape) {
        return new ModelSignature(
                List.of(new TensorSpec(in, inType, inShape)), List.of(new TensorSpec(out, outType, outShape)));
    }

    static final ModelSignature ENSEMBLE = sig("raw", DataType.FP32, ROW6, "probs", DataType.FP32, Shape.of(-1, 3));

    static EnsembleScheduling.Step step(String model, Map<String, String> in, Map<String, String> out) {
        return new EnsembleScheduling.Step(model, -1L, in, out);
    }

    static EnsembleGraph check(EnsembleScheduling.Step... steps) {
        return EnsembleGraph.check("e", ENSEMBLE, new EnsembleScheduling(List.of(steps)), (m, v) -> {
            ModelSignature s = MODELS.get(m);
            if (s == null) {
                throw new ModelNotFoundException("model '" + m + "' not found; known models are " + MODELS.keySet());
            }
            return s;
        });
    }

    @Test
    void aChainChecksAndOnlyTheNeededStepsRun() {
        EnsembleGraph g = check(
                step("double", Map.of("x", "raw"), Map.of("y", "doubled")),
                step("mlp", Map.of("x", "doubled"), Map.of("probs", "probs")));
        assertThat(g.needed(List.of("probs")).cardinality()).isEqualTo(2);
        assertThat(g.needed(List.of("raw")).cardinality()).isZero();
    }

    @Test
    void anUnknownModelNamesTheStep() {
        assertThatThrownBy(() -> check(step("nope", Map.of("x", "raw"), Map.of("probs", "probs"))))
                .hasMessageContaining("ensemble_scheduling.step[0] (model 'nope')")
                .hasMessageContaining("not found");
    }

    @Test
    void aTypeMismatchNamesProducerConsumerAndTensor() {
        assertThatThrownBy(() -> check(
                        step("ints", Map.of("x", "raw"), Map.of("y", "y")),
                        step("mlp", Map.of("x", "raw"), Map.of("probs", "probs"))))
                .hasMessageContaining("tensor 'raw'")
                .hasMessageContaining("ensemble input 'raw' is FP32 [-1, 6]")
                .hasMessageContaining("ensemble_scheduling.step[0] (model 'ints') input 'x' expects INT64");
    }

    @Test
    void aShapeMismatchIsRefused() {
        assertThatThrownBy(() -> check(
                        step("mlp", Map.of("x", "raw"), Map.of("probs", "p3")),
                        step("double", Map.of("x", "p3"), Map.of("y", "probs"))))
                .hasMessageContaining("tensor 'p3'")
                .hasMessageContaining("[-1, 3]")
                .hasMessageContaining("expects FP32 [-1, 6]");
    }

    @Test
    void aTensorProducedTwiceIsRefused() {
        assertThatThrownBy(() -> check(
                        step("double", Map.of("x", "raw"), Map.of("y", "raw")),
                        step("mlp", Map.of("x", "raw"), Map.of("probs", "probs"))))
                .hasMessageContaining(
                        "tensor 'raw' is produced twice: by ensemble input 'raw' and by ensemble_scheduling.step[0] (model 'double') output 'y'");
    }

    @Test
    void aTensorNeverProducedIsRefused() {
        assertThatThrownBy(() -> check(step("mlp", Map.of("x", "missing"), Map.of("probs", "probs"))))
                .hasMessageContaining(
                        "tensor 'missing', read by ensemble_scheduling.step[0] (model 'mlp') input 'x', is produced by no step");
        assertThatThrownBy(() -> check(step("double", Map.of("x", "raw"), Map.of("y", "y"))))
                .hasMessageContaining("tensor 'probs', the ensemble output 'probs', is produced by no step");
    }

    @Test
    void aCycleIsRefusedWithItsSteps() {
        assertThatThrownBy(() -> check(
                        step("double", Map.of("x", "b"), Map.of("y", "a")),
                        step("double", Map.of("x", "a"), Map.of("y", "b")),
                        step("mlp", Map.of("x", "raw"), Map.of("probs", "probs"))))
                .hasMessageContaining("cycle")
                .hasMessageContaining(
                        "ensemble_scheduling.step[0] (model 'double') reads tensor 'b' from ensemble_scheduling.step[1]");
    }

    @Test
    void unmappedAndUnknownStepTensorsAreRefused() {
        assertThatThrownBy(() -> check(step("mlp", Map.of(), Map.of("probs", "probs"))))
                .hasMessageContaining("input 'x' of model 'mlp' is not in input_map");
        assertThatThrownBy(() -> check(step("mlp", Map.of("x", "raw", "z", "raw"), Map.of("probs", "probs"))))
                .hasMessageContaining("input_map names input 'z'");
        assertThatThrownBy(() -> check(step("mlp", Map.of("x", "raw"), Map.of("nope", "probs"))))
                .hasMessageContaining("output_map names output 'nope'");
    }
}
