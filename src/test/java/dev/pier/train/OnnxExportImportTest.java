package dev.pier.train;

import static dev.pier.onnx.OnnxAttributes.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.onnx.OnnxModelBuilder;
import dev.pier.onnx.proto.ModelProto;
import dev.pier.runtime.ModelSession;
import dev.pier.runtime.SessionOptions;
import dev.pier.runtime.onnx.OrtEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exports trained networks, runs them in ONNX Runtime and imports them back into DJL. */
class OnnxExportImportTest {
    static LabeledData images;
    static LabeledData probe;

    @BeforeAll
    static void load() throws Exception {
        images = Mnist.load("mnist:train:400", MnistFetcher.defaultDir(), Shape.of(1, 28, 28));
        probe = Mnist.load("mnist:test:64", MnistFetcher.defaultDir(), Shape.of(1, 28, 28));
    }

    static float[] ort(Path model, LabeledData data) {
        try (OrtEngine engine = new OrtEngine();
                ModelSession s = engine.load(model, SessionOptions.defaults())) {
            long[] dims = new long[data.exampleShape().rank() + 1];
            dims[0] = data.count();
            System.arraycopy(data.exampleShape().toArray(), 0, dims, 1, dims.length - 1);
            List<Tensor> out = s.run(
                    Map.of(OnnxExporter.INPUT, Tensor.ofFloats(OnnxExporter.INPUT, Shape.of(dims), data.features())),
                    List.of(OnnxExporter.OUTPUT));
            assertThat(out.getFirst().shape()).isEqualTo(Shape.of(data.count(), 10));
            return out.getFirst().floats();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void convNetExportMatchesDjlAndRoundTripsThroughImport(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("cnn.yaml");
        Files.writeString(yaml, """
                layers:
                  - conv2d: {filters: 4, kernel: 3, padding: 1}
                  - batchnorm
                  - relu
                  - maxpool: {kernel: 2}
                  - avgpool: {kernel: 3, stride: 2, padding: 1}
                  - conv2d: {filters: 6, kernel: 3, stride: 2}
                  - tanh
                  - flatten
                  - dropout: 0.3
                  - dense: 16
                  - sigmoid
                  - dense: 10
                  - softmax
                """);
        TrainingService service = new TrainingService();
        Architecture arch = Architectures.fromYaml(yaml);
        Path first = dir.resolve("first.onnx");
        Path second = dir.resolve("second.onnx");
        float[] djl;
        float[] djlLogits;
        try (DjlNetwork net = service.newNetwork(arch, images, 3)) {
            service.fit(
                    net,
                    images,
                    TrainOptions.defaults().toBuilder()
                            .epochs(1)
                            .output(dir.resolve("x.onnx"))
                            .build(),
                    TrainingListener.NONE);
            djl = net.probabilities(probe.features(), probe.count());
            djlLogits = net.logits(probe.features(), probe.count());
            OnnxExporter.export(net, first);
        }
        float[] onnx = ort(first, probe);
        assertClose(onnx, djl, 1e-5f);
        // Sanity: real probabilities, not all equal.
        assertThat(onnx[0] + onnx[1] + onnx[2] + onnx[3] + onnx[4] + onnx[5] + onnx[6] + onnx[7] + onnx[8] + onnx[9])
                .isCloseTo(1f, within(1e-5f));
        assertThat(Arrays.equals(Arrays.copyOfRange(onnx, 0, 10), Arrays.copyOfRange(onnx, 10, 20)))
                .isFalse();

        try (DjlNetwork imported = OnnxImporter.load(first)) {
            assertThat(imported.architecture().layers())
                    .isEqualTo(arch.layers().stream()
                            .filter(l -> !(l instanceof LayerSpec.Dropout))
                            .toList());
            assertThat(imported.logits(probe.features(), probe.count())).containsExactly(djlLogits);
            OnnxExporter.export(imported, second);
        }
        assertThat(ort(second, probe)).containsExactly(onnx);
    }

    @Test
    void trainWritesModelAndLogAndTheModelAgreesWithTheNetwork(@TempDir Path dir) throws Exception {
        LabeledData flat = Mnist.load("mnist:train:1000", MnistFetcher.defaultDir(), Shape.of(784));
        TrainOptions options = TrainOptions.defaults().toBuilder()
                .architecture("mlp:32")
                .epochs(1)
                .output(dir.resolve("mlp.onnx"))
                .build();
        TrainingResult result = new TrainingService().train(flat, options, TrainingListener.NONE);
        assertThat(result.model()).exists();
        assertThat(result.logFile()).isEqualTo(dir.resolve("mlp.train.json")).exists();
        assertThat(Files.readString(result.logFile())).contains("\"trainLoss\"").contains("\"validationAccuracy\"");
        assertThat(result.metrics().epoch()).isEqualTo(1);

        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(result.model()));
        assertThat(model.getOpsetImport(0).getVersion()).isGreaterThanOrEqualTo(13);
        assertThat(model.getGraph()
                        .getInput(0)
                        .getType()
                        .getTensorType()
                        .getShape()
                        .getDim(0)
                        .hasDimValue())
                .isFalse();

        LabeledData probeFlat = Mnist.load("mnist:test:64", MnistFetcher.defaultDir(), Shape.of(784));
        try (DjlNetwork net = OnnxImporter.load(result.model())) {
            assertClose(
                    ort(result.model(), probeFlat), net.probabilities(probeFlat.features(), probeFlat.count()), 1e-5f);
            // The imported network trains on: one more epoch, starting from the imported weights.
            float[] before = net.logits(probeFlat.features(), probeFlat.count());
            TrainingLog more = new TrainingService()
                    .fit(
                            net,
                            flat,
                            options.toBuilder().checkpointDir(dir.resolve("ft")).build(),
                            TrainingListener.NONE);
            assertThat(more.epochs().getFirst().trainAccuracy())
                    .isGreaterThan(result.metrics().trainAccuracy());
            assertThat(net.logits(probeFlat.features(), probeFlat.count())).isNotEqualTo(before);
        }
    }

    @Test
    void importsMatMulAddGraphsAndChecksAgainstAPlainJavaForwardPass() throws Exception {
        float[] w = {1, -2, 0.5f, 3, -1, 2}; // [in=3, out=2], MatMul layout
        float[] b = {0.25f, -0.5f};
        ModelProto model = OnnxModelBuilder.create("mm")
                .input("x", DataType.FP32, "batch", 3)
                .initializer("W", new long[] {3, 2}, w)
                .initializer("B", new long[] {2}, b)
                .node("mm", "MatMul", List.of("x", "W"), List.of("h"))
                .node("add", "Add", List.of("h", "B"), List.of("z"))
                .node("act", "Relu", List.of("z"), List.of("r"))
                .node("sm", "Softmax", List.of("r"), List.of("p"), of("axis", 1L))
                .output("p", DataType.FP32, "batch", 2)
                .build();
        float[] x = {1, 2, 3, -1, 0.5f, 2};
        try (DjlNetwork net = OnnxImporter.load(model, "mm")) {
            float[] got = net.logits(x, 2);
            for (int n = 0; n < 2; n++) {
                for (int o = 0; o < 2; o++) {
                    float z = b[o];
                    for (int i = 0; i < 3; i++) {
                        z += x[n * 3 + i] * w[i * 2 + o];
                    }
                    assertThat(got[n * 2 + o]).isCloseTo(Math.max(0, z), within(1e-6f));
                }
            }
        }
    }

    @Test
    void unsupportedOpIsNamedWithItsNode() {
        ModelProto model = OnnxModelBuilder.create("bad")
                .input("x", DataType.FP32, "batch", 3)
                .node("leaky_1", "LeakyRelu", List.of("x"), List.of("y"))
                .output("y", DataType.FP32, "batch", 3)
                .build();
        assertThatThrownBy(() -> OnnxImporter.load(model, "bad.onnx"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unsupported ONNX op 'LeakyRelu'")
                .hasMessageContaining("node 'leaky_1'");
    }

    static void assertClose(float[] actual, float[] expected, float tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        float worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        assertThat(worst).as("largest difference").isLessThanOrEqualTo(tolerance);
    }
}
