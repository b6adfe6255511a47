package dev.pier.compress.quantize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import dev.pier.compress.CompressionReport;
import dev.pier.compress.CompressionService;
import dev.pier.compress.MlpCompressionTest;
import dev.pier.compress.TestModels;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.onnx.OnnxModelBuilder;
import dev.pier.onnx.OnnxModelReader;
import dev.pier.onnx.proto.TensorProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Quantization of a real MNIST-trained MLP: the output runs in ONNX Runtime, holds the integer / QDQ ops and
 * int8 weights, and stays within 2 percentage points of the float model's accuracy on 1,000 test images (int8
 * rounding of a 784-64-10 MLP typically costs well under 1 pp; 2 pp leaves room for calibration noise while a
 * broken scale or zero point costs tens of points).
 */
class QuantizeTest extends MlpCompressionTest {
    private static final double MAX_DROP = 0.02;
    private static LabeledData calibration;

    @BeforeAll
    static void loadCalibration() throws Exception {
        calibration = Mnist.load("mnist:train:500", MnistFetcher.defaultDir(), Shape.of(784));
    }

    private CompressionReport run(dev.pier.compress.CompressionStrategy strategy, Path out) {
        return compress(TestModels.trainedMlp(), out, strategy, Optional.empty());
    }

    @Test
    void dynamicQuantizationUsesMatMulIntegerAndKeepsAccuracy() {
        Path input = TestModels.trainedMlp();
        String hash = TestModels.sha256(input);
        Path out = dir.resolve("m.dynamic.onnx");
        CompressionReport r = run(new DynamicQuantizer(false), out);
        assertThat(TestModels.ops(out))
                .contains("DynamicQuantizeLinear", "MatMulInteger")
                .doesNotContain("Gemm", "MatMul");
        assertThat(OnnxModelReader.read(out).initializers())
                .anyMatch(t -> t.getDataType() == TensorProto.DataType.INT8_VALUE
                        && t.getDimsList().equals(List.of(784L, 64L)));
        assertThat(r.before().accuracy()).isGreaterThan(0.8);
        assertThat(r.after().accuracy()).isGreaterThan(r.before().accuracy() - MAX_DROP);
        assertThat(r.after().sizeBytes()).isLessThan(r.before().sizeBytes() / 3);
        assertThat(TestModels.sha256(input)).isEqualTo(hash);
        assertThat(out.resolveSibling("m.dynamic.onnx.compress.json")).isRegularFile();
    }

    @Test
    void dynamicPerChannelRunsAndKeepsAccuracy() {
        CompressionReport r = run(new DynamicQuantizer(true), dir.resolve("pc.onnx"));
        assertThat(r.after().accuracy()).isGreaterThan(r.before().accuracy() - MAX_DROP);
    }

    @Test
    void staticQdqMinMaxPerTensor() {
        Path out = dir.resolve("m.qdq.onnx");
        CompressionReport r = run(new StaticQuantizer(engine, calibration, QuantizeOptions.defaults()), out);
        List<String> ops = TestModels.ops(out);
        assertThat(ops).contains("QuantizeLinear", "DequantizeLinear", "Gemm");
        // per quantized Gemm: input Q+DQ, weight DQ, output Q+DQ
        assertThat(ops.stream().filter("DequantizeLinear"::equals).count())
                .isEqualTo(3L * ops.stream().filter("Gemm"::equals).count());
        assertThat(r.after().accuracy()).isGreaterThan(r.before().accuracy() - MAX_DROP);
        assertThat(r.details()).containsKey("activationRanges");
    }

    @Test
    void staticQdqPercentilePerChannel() {
        QuantizeOptions options =
                new QuantizeOptions(QuantizeOptions.Mode.STATIC, QuantizeOptions.Method.PERCENTILE, 99.9, true);
        CompressionReport r = run(new StaticQuantizer(engine, calibration, options), dir.resolve("pc.qdq.onnx"));
        assertThat(r.after().accuracy()).isGreaterThan(r.before().accuracy() - MAX_DROP);
    }

    @Test
    void modelWithoutWeightedOpsIsRejectedAndNothingIsWritten() {
        Path input = OnnxModelBuilder.create("softmax_only")
                .opset(17)
                .input("input", DataType.FP32, "batch", 784)
                .output("output", DataType.FP32, "batch", 784)
                .node("Softmax", List.of("input"), List.of("output"))
                .save(dir.resolve("softmax.onnx"));
        Path out = dir.resolve("softmax.int8.onnx");
        assertThatThrownBy(() -> new CompressionService(engine)
                        .run(
                                new CompressionService.Request(
                                        input, out, evaluation, TestModels.quickEvaluate(), Optional.empty()),
                                new DynamicQuantizer(false)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Softmax")
                .hasMessageContaining("MatMul/Gemm/Conv");
        assertThat(Files.exists(out)).isFalse();
    }

    @Test
    void outputEqualToInputIsRefused() {
        Path input = TestModels.trainedMlp();
        assertThatThrownBy(() -> run(new DynamicQuantizer(false), input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never overwrites");
    }
}
