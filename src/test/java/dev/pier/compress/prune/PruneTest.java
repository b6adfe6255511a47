package dev.pier.compress.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.compress.CompressionReport;
import dev.pier.compress.MlpCompressionTest;
import dev.pier.compress.TestModels;
import dev.pier.onnx.Activation;
import dev.pier.onnx.DenseLayer;
import dev.pier.onnx.OnnxModel;
import dev.pier.onnx.OnnxModelBuilder;
import dev.pier.onnx.OnnxModelReader;
import dev.pier.onnx.OnnxNetworks;
import dev.pier.onnx.proto.TensorProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Magnitude and structured pruning on a real MNIST-trained MLP and on hand-built MLPs. */
class PruneTest extends MlpCompressionTest {
    private CompressionReport run(Path input, Path out, dev.pier.compress.CompressionStrategy strategy) {
        return compress(input, out, strategy, Optional.empty());
    }

    private static long zeros(float[] w) {
        long n = 0;
        for (float v : w) {
            if (v == 0f) {
                n++;
            }
        }
        return n;
    }

    @Test
    void magnitudePruningReachesTheRequestedSparsityInEveryLayer() {
        Path input = TestModels.trainedMlp();
        String hash = TestModels.sha256(input);
        Path out = dir.resolve("m.pruned.onnx");
        CompressionReport r = run(input, out, new MagnitudePruner(PruneOptions.magnitude(0.9)));
        OnnxModel pruned = OnnxModelReader.read(out);
        OnnxModel original = OnnxModelReader.read(input);
        int layers = 0;
        for (TensorProto t : pruned.initializers()) {
            if (t.getDimsCount() == 2) { // weights; biases (rank 1) are left dense
                float[] w = pruned.initializerFloats(t.getName());
                assertThat(zeros(w)).isGreaterThanOrEqualTo((long) Math.ceil(0.9 * w.length));
                // surviving weights are the original values, untouched
                float[] o = original.initializerFloats(t.getName());
                for (int i = 0; i < w.length; i++) {
                    if (w[i] != 0f) {
                        assertThat(w[i]).isEqualTo(o[i]);
                    }
                }
                layers++;
            }
        }
        assertThat(layers).isEqualTo(2);
        assertThat(r.layers())
                .hasSize(2)
                .allSatisfy(l -> assertThat(l.sparsity()).isGreaterThanOrEqualTo(0.9));
        assertThat(r.after().nonZero()).isLessThan(r.before().nonZero() / 5);
        assertThat(r.after().accuracy()).isBetween(0.0, 1.0);
        assertThat(TestModels.sha256(input)).isEqualTo(hash);
    }

    @Test
    void hanThresholdZeroesExactlyTheWeightsBelowQualityTimesStd() {
        Path input = TestModels.trainedMlp();
        Path out = dir.resolve("m.han.onnx");
        double q = 0.5;
        run(input, out, new MagnitudePruner(new PruneOptions(PruneOptions.Method.MAGNITUDE, 0, q)));
        OnnxModel original = OnnxModelReader.read(input);
        OnnxModel pruned = OnnxModelReader.read(out);
        for (TensorProto t : original.initializers()) {
            if (t.getDimsCount() != 2) {
                continue;
            }
            float[] w = original.initializerFloats(t.getName());
            double mean = 0;
            for (float v : w) {
                mean += v;
            }
            mean /= w.length;
            double ss = 0;
            for (float v : w) {
                ss += (v - mean) * (v - mean);
            }
            double threshold = q * Math.sqrt(ss / w.length);
            long expected = 0;
            for (float v : w) {
                if (Math.abs(v) < threshold || v == 0f) {
                    expected++;
                }
            }
            assertThat(zeros(pruned.initializerFloats(t.getName()))).isEqualTo(expected);
        }
    }

    /** 784-32-16-10 with 8 and 4 hidden neurons whose outgoing weights are all zero. */
    private Path mlpWithDeadNeurons() {
        Random random = new Random(3);
        DenseLayer l1 = layer(784, 32, Activation.RELU, random, List.of());
        DenseLayer l2 = layer(32, 16, Activation.RELU, random, List.of(1, 5, 6, 9, 17, 20, 30, 31));
        DenseLayer l3 = layer(16, 10, Activation.SOFTMAX, random, List.of(0, 7, 8, 15));
        return OnnxNetworks.mlp(List.of(l1, l2, l3)).save(dir.resolve("dead.onnx"));
    }

    private static DenseLayer layer(int in, int out, Activation a, Random random, List<Integer> zeroRows) {
        float[] w = new float[in * out];
        for (int r = 0; r < in; r++) {
            for (int c = 0; c < out; c++) {
                w[r * out + c] = zeroRows.contains(r) ? 0f : (float) (random.nextGaussian() * Math.sqrt(2.0 / in));
            }
        }
        float[] b = new float[out];
        for (int i = 0; i < out; i++) {
            b[i] = (float) random.nextGaussian() * 0.1f;
        }
        return new DenseLayer(in, out, w, b, a);
    }

    @Test
    void structuredPruningOfDeadNeuronsShrinksLayersAndKeepsOutputsIdentical() {
        Path input = mlpWithDeadNeurons();
        Path out = dir.resolve("dead.pruned.onnx");
        // 25% of each hidden layer: exactly the 8 of 32 and 4 of 16 dead neurons
        CompressionReport r = run(input, out, new StructuredPruner(PruneOptions.structured(0.25)));
        OnnxModel pruned = OnnxModelReader.read(out);
        List<List<Long>> shapes = pruned.initializers().stream()
                .filter(t -> t.getDimsCount() == 2)
                .map(TensorProto::getDimsList)
                .toList();
        assertThat(shapes).containsExactly(List.of(784L, 24L), List.of(24L, 12L), List.of(12L, 10L));
        assertThat(r.after().parameters()).isEqualTo(784L * 24 + 24 + 24 * 12 + 12 + 12 * 10 + 10);
        float[] before = TestModels.run(engine, input, evaluation, 64);
        float[] after = TestModels.run(engine, out, evaluation, 64);
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.length; i++) {
            assertThat(after[i]).isCloseTo(before[i], within(1e-5f));
        }
    }

    @Test
    void structuredPruningOfATrainedModelHalvesTheHiddenLayer() {
        Path input = TestModels.trainedMlp();
        Path out = dir.resolve("m.structured.onnx");
        CompressionReport r = run(input, out, new StructuredPruner(PruneOptions.structured(0.5)));
        List<List<Long>> shapes = OnnxModelReader.read(out).initializers().stream()
                .filter(t -> t.getDimsCount() == 2)
                .map(TensorProto::getDimsList)
                .toList();
        // DJL stores Linear weights [out, in] (Gemm transB=1)
        assertThat(shapes).containsExactly(List.of(32L, 784L), List.of(10L, 32L));
        assertThat(r.after().parameters()).isLessThan(r.before().parameters() * 6 / 10);
        assertThat(r.after().accuracy()).isGreaterThan(0.5); // the strongest half of the neurons still classifies
    }

    @Test
    void structuredPruningNamesAnOpItCannotFollow() {
        Random random = new Random(1);
        DenseLayer l1 = layer(4, 6, Activation.RELU, random, List.of());
        DenseLayer l2 = layer(6, 3, Activation.SOFTMAX, random, List.of());
        OnnxModelBuilder b = OnnxModelBuilder.create("odd")
                .opset(17)
                .input("input", DataType.FP32, "batch", 4)
                .output("output", DataType.FP32, "batch", 3)
                .initializer("w1", new long[] {4, 6}, l1.weights())
                .initializer("w2", new long[] {6, 3}, l2.weights())
                .initializer("axes", new long[] {1}, 1L)
                .node("MatMul", List.of("input", "w1"), List.of("h"))
                .node("ReduceMax", List.of("h", "axes"), List.of("hm"))
                .node("Sub", List.of("h", "hm"), List.of("hs"))
                .node("MatMul", List.of("hs", "w2"), List.of("output"));
        Path input = b.save(dir.resolve("odd.onnx"));
        Path out = dir.resolve("odd.pruned.onnx");
        assertThatThrownBy(() -> new StructuredPruner(PruneOptions.structured(0.5)).apply(OnnxModelReader.read(input)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("ReduceMax");
        assertThat(Files.exists(out)).isFalse();
    }
}
