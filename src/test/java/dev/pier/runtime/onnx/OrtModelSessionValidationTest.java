package dev.pier.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.DataType;
import dev.pier.api.InferRequest;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.UnavailableException;
import dev.pier.onnx.OnnxModelBuilder;
import dev.pier.runtime.ModelSession;
import dev.pier.runtime.SessionOptions;
import dev.pier.serving.RequestValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each way a request can miss a real model's signature gets an InvalidInputException naming input, expected and
 * sent: checked once, by the serving path's {@link RequestValidator}, against the session's signature and
 * symbolic dimension names; the session itself runs what it is given.
 */
class OrtModelSessionValidationTest {

    @TempDir
    Path dir;

    OrtEngine engine;
    ModelSession session;

    @BeforeEach
    void load() {
        Path file = OnnxModelBuilder.create("add")
                .input("a", DataType.FP32, "batch", 3)
                .input("b", DataType.FP32, "batch", 3)
                .node("Add", List.of("a", "b"), List.of("sum"))
                .output("sum", DataType.FP32, "batch", 3)
                .save(dir.resolve("add.onnx"));
        engine = new OrtEngine();
        session = engine.load(file, new SessionOptions(1, 1, SessionOptions.Optimization.BASIC));
    }

    @AfterEach
    void close() {
        session.close();
        engine.close();
    }

    static Tensor floats(String name, long... dims) {
        return Tensor.ofFloats(
                name, Shape.of(dims), new float[(int) Shape.of(dims).elementCount()]);
    }

    private void validate(Map<String, Tensor> inputs, List<String> outputs) {
        InferRequest request = new InferRequest(
                null,
                "add",
                OptionalLong.empty(),
                List.copyOf(inputs.values()),
                outputs.stream()
                        .map(o -> new InferRequest.RequestedOutput(o, Map.of()))
                        .toList(),
                Map.of());
        RequestValidator.validate(request, session.signature(), 0, session.dimensionNames());
    }

    @Test
    void validRequestRuns() {
        Tensor a = Tensor.ofFloats("a", Shape.of(1, 3), 1, 2, 3);
        Tensor b = Tensor.ofFloats("b", Shape.of(1, 3), 10, 20, 30);
        assertThat(session.run(Map.of("a", a, "b", b), List.of()).get(0).floats())
                .containsExactly(11, 22, 33);
    }

    @Test
    void missingInput() {
        assertThatThrownBy(() -> validate(Map.of("a", floats("a", 2, 3)), List.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("needs input 'b' (FP32 [-1, 3])")
                .hasMessageContaining("it sent [a]");
    }

    @Test
    void unknownInput() {
        assertThatThrownBy(() -> validate(
                        Map.of("a", floats("a", 2, 3), "b", floats("b", 2, 3), "c", floats("c", 2, 3)), List.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has no input 'c'")
                .hasMessageContaining("its inputs are [a, b]");
    }

    @Test
    void wrongDatatype() {
        Tensor longs = Tensor.ofLongs("b", Shape.of(1, 3), 1, 2, 3);
        assertThatThrownBy(() -> validate(Map.of("a", floats("a", 1, 3), "b", longs), List.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("input 'b' must be FP32, got INT64");
    }

    @Test
    void wrongRank() {
        assertThatThrownBy(() -> validate(Map.of("a", floats("a", 3), "b", floats("b", 1, 3)), List.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("input 'a' must have shape [-1, 3]")
                .hasMessageContaining("got [3]");
    }

    @Test
    void fixedDimensionDiffers() {
        assertThatThrownBy(() -> validate(Map.of("a", floats("a", 2, 4), "b", floats("b", 2, 3)), List.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("input 'a' must have shape [-1, 3]")
                .hasMessageContaining("got [2, 4]");
    }

    @Test
    void dynamicDimensionsSharingASymbolMustAgree() {
        assertThatThrownBy(() -> validate(Map.of("a", floats("a", 2, 3), "b", floats("b", 5, 3)), List.of()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'batch'")
                .hasMessageContaining("size 5")
                .hasMessageContaining("size 2");
    }

    @Test
    void shapeFailuresInsideTheGraphAreClientErrorsNamingTheModel() {
        Path file = OnnxModelBuilder.create("add2")
                .input("a", DataType.FP32, "n")
                .input("b", DataType.FP32, "m")
                .node("Add", List.of("a", "b"), List.of("sum"))
                .output("sum", DataType.FP32, "k")
                .save(dir.resolve("add2.onnx"));
        try (ModelSession s = engine.load(file, SessionOptions.defaults())) {
            assertThatThrownBy(() -> s.run(Map.of("a", floats("a", 2), "b", floats("b", 5)), List.of()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("add2.onnx")
                    .hasMessageContaining("broadcast");
        }
    }

    @Test
    void unknownOutputName() {
        assertThatThrownBy(() -> validate(Map.of("a", floats("a", 1, 3), "b", floats("b", 1, 3)), List.of("total")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has no output 'total'")
                .hasMessageContaining("its outputs are [sum]");
    }

    @Test
    void runAfterCloseIsUnavailable() {
        session.close();
        assertThatThrownBy(() -> session.run(Map.of("a", floats("a", 1, 3), "b", floats("b", 1, 3)), List.of()))
                .isInstanceOf(UnavailableException.class);
    }

    @Test
    void loadingAMissingOrCorruptFileNamesThePath() throws Exception {
        Path missing = dir.resolve("nope.onnx");
        assertThatThrownBy(() -> engine.load(missing, SessionOptions.defaults()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(missing.toString());
        Path corrupt = Files.write(dir.resolve("corrupt.onnx"), "not a model".getBytes());
        assertThatThrownBy(() -> engine.load(corrupt, SessionOptions.defaults()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(corrupt.toString());
    }
}
