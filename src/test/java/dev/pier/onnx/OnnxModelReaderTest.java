package dev.pier.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import dev.pier.onnx.proto.ModelProto;
import dev.pier.onnx.proto.StringStringEntryProto;
import dev.pier.onnx.proto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelReaderTest {

    @TempDir
    Path dir;

    @Test
    void summaryOfAWrittenModel() throws Exception {
        Random rnd = new Random(3);
        float[] w1 = new float[6 * 4];
        for (int i = 0; i < w1.length; i++) {
            w1[i] = i % 3 == 0 ? 0f : rnd.nextFloat() + 0.1f; // a third are zero
        }
        double[] scale = {1.0, 0.0, 2.5};
        long[] shape = {-1, 4};
        int[] ids = {0, 0, 7, 1, 0};
        OnnxModelBuilder b = OnnxModelBuilder.create("g")
                .producer("tester", "9.9")
                .metadata("task", "demo")
                .input("x", DataType.FP32, "batch", 6)
                .input("ids", DataType.INT64, "n")
                .initializer("w1", new long[] {6, 4}, w1)
                .initializer("scale", new long[] {3}, scale)
                .initializer("shape", new long[] {2}, shape)
                .initializer("ids_table", new long[] {5}, ids)
                .node("MatMul", List.of("x", "w1"), List.of("h"))
                .node("Relu", List.of("h"), List.of("r"))
                .node("Relu", List.of("r"), List.of("r2"))
                .node("Reshape", List.of("r2", "shape"), List.of("y"))
                .output("y", DataType.FP32, "batch", 4)
                .opset("ai.onnx.ml", 3);
        Path file = b.save(dir.resolve("m.onnx"));

        OnnxModelSummary s = OnnxModelReader.summarize(file);

        long expectedParams = w1.length + scale.length + shape.length + ids.length;
        long expectedNonZero = countNonZero(w1) + 2 + 2 + 2;
        assertThat(s.parameterCount()).isEqualTo(expectedParams);
        assertThat(s.nonZeroParameterCount()).isEqualTo(expectedNonZero);
        assertThat(s.initializerCount()).isEqualTo(4);
        assertThat(s.fileSizeBytes()).isEqualTo(Files.size(file));
        assertThat(s.irVersion()).isEqualTo(8);
        assertThat(s.defaultOpset()).isEqualTo(17);
        assertThat(s.opsetImports()).containsExactly(entry("", 17L), entry("ai.onnx.ml", 3L));
        assertThat(s.producerName()).isEqualTo("tester");
        assertThat(s.producerVersion()).isEqualTo("9.9");
        assertThat(s.metadata()).containsExactly(entry("task", "demo"));
        assertThat(s.nodeCount()).isEqualTo(4);
        assertThat(s.opHistogram()).containsExactly(entry("Relu", 2), entry("MatMul", 1), entry("Reshape", 1));
        assertThat(s.inputs())
                .containsExactly(
                        new OnnxValueInfo("x", "FLOAT", DataType.FP32, List.of("batch", "6"), Shape.of(-1, 6)),
                        new OnnxValueInfo("ids", "INT64", DataType.INT64, List.of("n"), Shape.of(-1)));
        assertThat(s.outputs())
                .containsExactly(
                        new OnnxValueInfo("y", "FLOAT", DataType.FP32, List.of("batch", "4"), Shape.of(-1, 4)));

        OnnxModel model = OnnxModelReader.read(file);
        assertThat(model.initializerFloats("w1")).containsExactly(w1);
        assertThat(model.initializerFloats("scale")).containsExactly(1f, 0f, 2.5f);
        assertThat(model.initializerFloats("shape")).containsExactly(-1f, 4f);
        assertThat(model.initializerFloats()).containsOnlyKeys("w1", "scale", "shape", "ids_table");
    }

    @Test
    void decodesTypedFieldsAndExternalDataAsOtherToolsWriteThem() throws Exception {
        float[] values = {0.5f, -2f, 0f, 3.25f};
        TensorProto typed = TensorProto.newBuilder()
                .setName("typed")
                .addDims(4)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addFloatData(values[0])
                .addFloatData(values[1])
                .addFloatData(values[2])
                .addFloatData(values[3])
                .build();
        TensorProto half = TensorProto.newBuilder()
                .setName("half")
                .addDims(2)
                .setDataType(TensorProto.DataType.FLOAT16_VALUE)
                .addInt32Data(Float.floatToFloat16(1.5f) & 0xffff)
                .addInt32Data(Float.floatToFloat16(-0.25f) & 0xffff)
                .build();
        ByteBuffer ext = ByteBuffer.allocate(16 + 12).order(ByteOrder.LITTLE_ENDIAN);
        ext.position(16);
        ext.putFloat(7f).putFloat(0f).putFloat(-1f);
        Files.write(dir.resolve("weights.bin"), ext.array());
        TensorProto external = TensorProto.newBuilder()
                .setName("external")
                .addDims(3)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(kv("location", "weights.bin"))
                .addExternalData(kv("offset", "16"))
                .addExternalData(kv("length", "12"))
                .build();
        Path file = OnnxModelBuilder.create("g")
                .input("x", DataType.FP32, 4)
                .initializer(typed)
                .initializer(half)
                .initializer(external)
                .node("Add", List.of("x", "typed"), List.of("y"))
                .output("y", DataType.FP32, 4)
                .save(dir.resolve("typed.onnx"));

        OnnxModel model = OnnxModelReader.read(file);
        assertThat(model.initializerFloats("typed")).containsExactly(values);
        assertThat(model.initializerFloats("half")).containsExactly(1.5f, -0.25f);
        assertThat(model.initializerFloats("external")).containsExactly(7f, 0f, -1f);
        assertThat(model.summary().parameterCount()).isEqualTo(4 + 2 + 3);
        assertThat(model.summary().nonZeroParameterCount()).isEqualTo(3 + 2 + 2);
    }

    @Test
    void oldStyleInitializersListedAsInputsAreNotModelInputs() {
        ModelProto m = OnnxModelBuilder.create("g")
                .input("x", DataType.FP32, 2)
                .input("w", DataType.FP32, 2)
                .initializer("w", new long[] {2}, 1f, 2f)
                .node("Add", List.of("x", "w"), List.of("y"))
                .output("y", DataType.FP32, 2)
                .build();
        Path file = OnnxModelFiles.save(m, dir.resolve("old.onnx"));
        assertThat(OnnxModelReader.summarize(file).inputs())
                .extracting(OnnxValueInfo::name)
                .containsExactly("x");
    }

    @Test
    void missingDirectoryAndGarbageFilesGetClearErrors() throws Exception {
        Path missing = dir.resolve("absent.onnx");
        assertThatThrownBy(() -> OnnxModelReader.read(missing))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> OnnxModelReader.read(dir))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("directory");
        Path text = Files.writeString(dir.resolve("text.onnx"), "hello, I am not a model");
        assertThatThrownBy(() -> OnnxModelReader.read(text))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(text.toString())
                .hasMessageContaining("not a valid ONNX model");
        Path empty = Files.write(dir.resolve("empty.onnx"), new byte[0]);
        assertThatThrownBy(() -> OnnxModelReader.read(empty))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not a valid ONNX model");
    }

    private static StringStringEntryProto kv(String k, String v) {
        return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    private static long countNonZero(float[] a) {
        long n = 0;
        for (float v : a) {
            if (v != 0f) {
                n++;
            }
        }
        return n;
    }
}
