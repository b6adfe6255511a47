package dev.pier.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import dev.pier.api.DataType;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import dev.pier.onnx.OnnxModel;
import dev.pier.onnx.OnnxModelReader;
import dev.pier.onnx.OnnxModelSummary;
import dev.pier.onnx.OnnxTensorValues;
import dev.pier.onnx.OnnxValueInfo;
import dev.pier.onnx.proto.TensorProto;
import dev.pier.runtime.ModelSession;
import dev.pier.runtime.SessionOptions;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Files written by the onnx python package (see src/test/resources/onnx/foreign/generate.py), read with Pier's
 * hand-written schema and run through ONNX Runtime against numpy's outputs stored as TensorProto files.
 */
class OnnxForeignFilesTest {

    static Path resource(String name) throws URISyntaxException {
        return Path.of(
                OnnxForeignFilesTest.class.getResource("/onnx/foreign/" + name).toURI());
    }

    static TensorProto tensor(String name) throws Exception {
        return TensorProto.parseFrom(Files.readAllBytes(resource(name)));
    }

    @Test
    void readsAndRunsAModelWrittenByOnnxPython() throws Exception {
        Path file = resource("mlp_onnx_python.onnx");
        OnnxModel model = OnnxModelReader.read(file);
        OnnxModelSummary s = model.summary();
        assertThat(s.producerName()).isEqualTo("onnx-example");
        assertThat(s.irVersion()).isEqualTo(7);
        assertThat(s.opsetImports()).containsExactly(entry("", 13L));
        assertThat(s.metadata()).containsExactly(entry("author", "fixture"));
        assertThat(s.parameterCount()).isEqualTo(5 * 4 + 4 + 3 * 4 + 3);
        assertThat(s.nonZeroParameterCount()).isEqualTo(5 * 4 + 4 + 3 * 4 + 2); // b2 has one zero
        assertThat(s.inputs())
                .containsExactly(new OnnxValueInfo("x", "FLOAT", DataType.FP32, List.of("N", "5"), Shape.of(-1, 5)));
        assertThat(s.outputs()).extracting(OnnxValueInfo::name).containsExactly("probs", "label");
        assertThat(s.opHistogram()).containsOnlyKeys("MatMul", "Add", "Relu", "Gemm", "Softmax", "ArgMax");
        assertThat(model.initializerFloats("b2")).containsExactly(0f, 0.5f, -0.5f);
        assertThat(model.initializerFloats("w1")).hasSize(20);

        TensorProto x = tensor("mlp_input_0.pb");
        float[] input = OnnxTensorValues.toFloats(x, null);
        float[] probs = OnnxTensorValues.toFloats(tensor("mlp_output_0.pb"), null);
        float[] labels = OnnxTensorValues.toFloats(tensor("mlp_output_1.pb"), null);
        try (OrtEngine engine = new OrtEngine();
                ModelSession session = engine.load(file, SessionOptions.defaults())) {
            assertThat(session.signature().outputs())
                    .containsExactly(
                            new TensorSpec("probs", DataType.FP32, Shape.of(-1, 3)),
                            new TensorSpec("label", DataType.INT64, Shape.of(-1)));
            List<Tensor> out = session.run(Map.of("x", Tensor.ofFloats("x", Shape.of(3, 5), input)), List.of());
            float[] actual = out.get(0).floats();
            for (int i = 0; i < probs.length; i++) {
                assertThat(actual[i]).isCloseTo(probs[i], within(1e-5f));
            }
            long[] actualLabels = out.get(1).longs();
            for (int i = 0; i < labels.length; i++) {
                assertThat((float) actualLabels[i]).isEqualTo(labels[i]);
            }
        }
    }

    @Test
    void oldStyleModelWithInitializerInputsAndFloat16TypedFields() throws Exception {
        Path file = resource("old_style.onnx");
        OnnxModel model = OnnxModelReader.read(file);
        assertThat(model.summary().inputs()).extracting(OnnxValueInfo::name).containsExactly("x");
        assertThat(model.summary().inputs().get(0).dims()).containsExactly("?", "2");
        assertThat(model.initializerFloats("k")).containsExactly(1.5f, -2f);
        try (OrtEngine engine = new OrtEngine();
                ModelSession session = engine.load(file, SessionOptions.defaults())) {
            Tensor y = session.run(Map.of("x", Tensor.ofFloats("x", Shape.of(1, 2), 2f, 3f)), List.of())
                    .get(0);
            assertThat(y.floats()).containsExactly(3f, -6f);
        }
    }
}
