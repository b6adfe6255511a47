package dev.pier.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import dev.pier.onnx.OnnxAttributes;
import dev.pier.onnx.OnnxModelBuilder;
import dev.pier.onnx.OnnxTypes;
import dev.pier.runtime.ModelSession;
import dev.pier.runtime.SessionOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OrtModelSessionTypesTest {

    static OrtEngine engine;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        engine = new OrtEngine();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @ParameterizedTest
    @EnumSource(
            value = DataType.class,
            names = {"UINT16", "UINT32", "UINT64", "BYTES"},
            mode = EnumSource.Mode.EXCLUDE)
    void everyFixedWidthTypeRoundTripsBitExactlyThroughIdentity(DataType type) {
        Path file = OnnxModelBuilder.create("identity")
                .input("x", type, "n", 3)
                .node("Identity", List.of("x"), List.of("y"))
                .output("y", type, "n", 3)
                .save(dir.resolve(type + ".onnx"));
        byte[] data = new byte[4 * 3 * type.byteSize()];
        new Random(type.ordinal()).nextBytes(data);
        if (type == DataType.BOOL) {
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (data[i] & 1);
            }
        }
        try (ModelSession s = engine.load(file, SessionOptions.defaults())) {
            assertThat(s.signature().inputs()).containsExactly(new TensorSpec("x", type, Shape.of(-1, 3)));
            Tensor out = s.run(Map.of("x", Tensor.ofPacked("x", type, Shape.of(4, 3), data)), List.of())
                    .get(0);
            assertThat(out.datatype()).isEqualTo(type);
            assertThat(out.shape()).isEqualTo(Shape.of(4, 3));
            assertThat(out.packed().toByteArray()).isEqualTo(data);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = DataType.class,
            names = {"UINT16", "UINT32", "UINT64"})
    void wideUnsignedOutputsComeBackBitExactly(DataType unsigned) {
        DataType signed = DataType.valueOf(unsigned.name().substring(1));
        Path file = OnnxModelBuilder.create("cast")
                .input("x", signed, 5)
                .node("Cast", List.of("x"), List.of("y"), OnnxAttributes.of("to", (long)
                        OnnxTypes.toOnnx(unsigned).getNumber()))
                .output("y", unsigned, 5)
                .save(dir.resolve(unsigned + ".onnx"));
        byte[] data = new byte[5 * signed.byteSize()];
        new Random(7).nextBytes(data);
        try (ModelSession s = engine.load(file, SessionOptions.defaults())) {
            assertThat(s.signature().outputs()).containsExactly(new TensorSpec("y", unsigned, Shape.of(5)));
            Tensor out = s.run(Map.of("x", Tensor.ofPacked("x", signed, Shape.of(5), data)), List.of())
                    .get(0);
            assertThat(out.datatype()).isEqualTo(unsigned);
            assertThat(out.packed().toByteArray()).isEqualTo(data);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = DataType.class,
            names = {"UINT16", "UINT32", "UINT64"})
    void wideUnsignedInputsAreRejectedWithAClearMessage(DataType unsigned) {
        Path file = OnnxModelBuilder.create("identity")
                .input("x", unsigned, 2)
                .node("Identity", List.of("x"), List.of("y"))
                .output("y", unsigned, 2)
                .save(dir.resolve(unsigned + "-in.onnx"));
        try (ModelSession s = engine.load(file, SessionOptions.defaults())) {
            assertThat(s.signature().inputs()).containsExactly(new TensorSpec("x", unsigned, Shape.of(2)));
            Tensor in = Tensor.ofPacked("x", unsigned, Shape.of(2), new byte[2 * unsigned.byteSize()]);
            assertThatThrownBy(() -> s.run(Map.of("x", in), List.of()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'x'")
                    .hasMessageContaining(unsigned.name());
        }
    }

    @Test
    void warmUpFeedsZerosOfEveryInputType() {
        Path file = OnnxModelBuilder.create("mixed")
                .input("flag", DataType.BOOL, "n")
                .input("word", DataType.BYTES, Shape.of(-1, 2))
                .input("half", DataType.FP16, Shape.of(3))
                .node("Not", List.of("flag"), List.of("not_flag"))
                .node("Identity", List.of("word"), List.of("word_out"))
                .node("Identity", List.of("half"), List.of("half_out"))
                .output("not_flag", DataType.BOOL, "n")
                .output("word_out", DataType.BYTES, Shape.of(-1, 2))
                .output("half_out", DataType.FP16, Shape.of(3))
                .save(dir.resolve("mixed.onnx"));
        try (ModelSession s = engine.load(file, SessionOptions.defaults())) {
            List<Tensor> out = dev.pier.runtime.WarmUp.run(s);
            assertThat(out.get(0).packed().toByteArray()).containsExactly(1);
            assertThat(out.get(1).strings()).containsExactly("", "");
            assertThat(out.get(1).shape()).isEqualTo(Shape.of(1, 2));
            assertThat(out.get(2).packed().toByteArray()).containsExactly(new byte[6]);
        }
    }

    @Test
    void stringInputsAndOutputs() {
        Path file = OnnxModelBuilder.create("strings")
                .input("words", DataType.BYTES, "n")
                .node("Identity", List.of("words"), List.of("same"))
                .node("Equal", List.of("words", "target"), List.of("is_target"))
                .initializer(dev.pier.onnx.OnnxTensors.strings("target", new long[] {}, "pier"))
                .output("same", DataType.BYTES, "n")
                .output("is_target", DataType.BOOL, "n")
                .opset(19) // Equal accepts strings from opset 19
                .save(dir.resolve("strings.onnx"));
        try (ModelSession s = engine.load(file, SessionOptions.defaults())) {
            assertThat(s.signature().inputs()).containsExactly(new TensorSpec("words", DataType.BYTES, Shape.of(-1)));
            List<Tensor> out =
                    s.run(Map.of("words", Tensor.ofStrings("words", Shape.of(3), "dock", "pier", "héllo")), List.of());
            assertThat(out.get(0).strings()).containsExactly("dock", "pier", "héllo");
            assertThat(out.get(1).packed().toByteArray()).containsExactly(0, 1, 0);
        }
    }

    @Test
    void int64InputsAndSeveralInputsAndOutputsSelectedByName() {
        Path file = OnnxModelBuilder.create("multi")
                .input("a", DataType.INT64, "n")
                .input("b", DataType.INT64, "n")
                .input("f", DataType.FP32, 2)
                .node("Add", List.of("a", "b"), List.of("sum"))
                .node("Mul", List.of("a", "b"), List.of("product"))
                .node("Neg", List.of("f"), List.of("negated"))
                .output("sum", DataType.INT64, "n")
                .output("product", DataType.INT64, "n")
                .output("negated", DataType.FP32, 2)
                .save(dir.resolve("multi.onnx"));
        long[] a = {Long.MAX_VALUE - 5, -3, 7};
        long[] b = {5, 4, -2};
        try (ModelSession s = engine.load(file, SessionOptions.defaults())) {
            assertThat(s.signature().outputs())
                    .extracting(TensorSpec::name)
                    .containsExactly("sum", "product", "negated");
            Map<String, Tensor> in = Map.of(
                    "a",
                    Tensor.ofLongs("a", Shape.of(3), a),
                    "b",
                    Tensor.ofLongs("b", Shape.of(3), b),
                    "f",
                    Tensor.ofFloats("f", Shape.of(2), 1.5f, -2f));
            List<Tensor> all = s.run(in, List.of());
            assertThat(all).extracting(Tensor::name).containsExactly("sum", "product", "negated");
            assertThat(all.get(0).longs()).containsExactly(a[0] + b[0], a[1] + b[1], a[2] + b[2]);
            assertThat(all.get(1).longs()).containsExactly(a[0] * b[0], a[1] * b[1], a[2] * b[2]);
            assertThat(all.get(2).floats()).containsExactly(-1.5f, 2f);

            List<Tensor> picked = s.run(in, List.of("negated", "sum"));
            assertThat(picked).extracting(Tensor::name).containsExactly("negated", "sum");
        }
    }
}
