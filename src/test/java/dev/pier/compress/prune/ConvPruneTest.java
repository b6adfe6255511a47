package dev.pier.compress.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pier.api.DataType;
import dev.pier.compress.CnnFixture;
import dev.pier.compress.CompressionReport;
import dev.pier.compress.CompressionService;
import dev.pier.compress.TestModels;
import dev.pier.data.LabeledData;
import dev.pier.onnx.OnnxModel;
import dev.pier.onnx.OnnxModelReader;
import dev.pier.onnx.SequentialGraph;
import dev.pier.onnx.proto.TensorProto;
import dev.pier.runtime.onnx.OrtEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Structured pruning of Conv channels: on a hand-built CNN whose pruned channels are dead (zero filter, zero
 * bias, BatchNorm mapping 0 to 0) the pruned model must give the same outputs on real MNIST images with smaller
 * shapes everywhere (conv, BatchNorm, next conv's input channels, the dense layer's flattened rows); on a
 * trained LeNet-5 real pruning shrinks every layer and the model still runs and classifies.
 */
class ConvPruneTest {
    private static OrtEngine engine;
    private static LabeledData images;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        engine = new OrtEngine();
        images = CnnFixture.images("mnist:test:500");
    }

    @AfterAll
    static void tearDown() {
        engine.close();
    }

    private CompressionReport run(Path in, Path out, double sparsity) {
        return new CompressionService(engine)
                .run(
                        new CompressionService.Request(in, out, images, TestModels.quickEvaluate(), Optional.empty()),
                        new StructuredPruner(PruneOptions.structured(sparsity)));
    }

    private static float[] random(Random r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    /** conv 8@3x3 (channels 1, 5 dead) → Relu → MaxPool → conv 6@3x3 (channels 0, 4 dead) → BN → Relu → Flatten → linear 294→10. */
    private Path cnnWithDeadChannels() {
        Random r = new Random(5);
        float[] w1 = random(r, 8 * 9, 0.5);
        float[] b1 = random(r, 8, 0.1);
        for (int dead : new int[] {1, 5}) {
            java.util.Arrays.fill(w1, dead * 9, dead * 9 + 9, 0f);
            b1[dead] = 0;
        }
        float[] w2 = random(r, 6 * 8 * 9, 0.2);
        float[] b2 = random(r, 6, 0.1);
        float[] mean = random(r, 6, 0.1);
        float[] beta = random(r, 6, 0.1);
        float[] gamma = new float[6];
        float[] var = new float[6];
        for (int c = 0; c < 6; c++) {
            gamma[c] = 0.5f + r.nextFloat();
            var[c] = 0.5f + r.nextFloat();
        }
        for (int dead : new int[] {0, 4}) {
            java.util.Arrays.fill(w2, dead * 72, dead * 72 + 72, 0f);
            b2[dead] = 0;
            mean[dead] = 0;
            beta[dead] = 0;
        }
        float[] w3 = random(r, 10 * 6 * 49, 0.1);
        return SequentialGraph.start("dead", "input", DataType.FP32, "batch", 1, 28, 28)
                .conv(w1, new long[] {8, 1, 3, 3}, b1, 1, 1)
                .relu()
                .maxPool(2, 2)
                .conv(w2, new long[] {6, 8, 3, 3}, b2, 2, 1)
                .batchNorm(gamma, beta, mean, var, 1e-5f)
                .relu()
                .flatten()
                .linear(w3, 6 * 49, 10, random(r, 10, 0.1))
                .softmax()
                .finish("output", "batch", 10)
                .save(dir.resolve("dead.onnx"));
    }

    @Test
    void pruningDeadChannelsShrinksEveryNeighbourAndKeepsOutputs() {
        Path in = cnnWithDeadChannels();
        Path out = dir.resolve("dead.pruned.onnx");
        // 25%: ceil(2) of 8 and ceil(1.5) of 6 channels, exactly the dead ones
        CompressionReport r = run(in, out, 0.25);
        OnnxModel pruned = OnnxModelReader.read(out);
        Map<Integer, List<List<Long>>> byRank = pruned.initializers().stream()
                .collect(Collectors.groupingBy(
                        TensorProto::getDimsCount, Collectors.mapping(TensorProto::getDimsList, Collectors.toList())));
        assertThat(byRank.get(4)).containsExactly(List.of(6L, 1L, 3L, 3L), List.of(4L, 6L, 3L, 3L));
        assertThat(byRank.get(2)).containsExactly(List.of(10L, 4L * 49));
        assertThat(byRank.get(1))
                .hasSize(2 + 4 + 1)
                .allMatch(d -> Set.of(6L, 4L, 10L).contains(d.get(0)));
        float[] before = CnnFixture.run(engine, in, images, 64);
        float[] after = CnnFixture.run(engine, out, images, 64);
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.length; i++) {
            assertThat(after[i]).isCloseTo(before[i], within(1e-5f));
        }
        assertThat(r.after().parameters()).isLessThan(r.before().parameters());
        assertThat(r.layers()).extracting(c -> c.note()).contains("kept 6 of 8 channels", "kept 4 of 6 channels");
    }

    @Test
    void pruningATrainedLenet5ShrinksAllLayersAndStillClassifies() {
        Path out = dir.resolve("lenet5.pruned.onnx");
        CompressionReport r = run(CnnFixture.trainedLenet5(), out, 0.25);
        Map<String, List<Long>> dims = OnnxModelReader.read(out).initializers().stream()
                .filter(t -> t.getDimsCount() >= 2)
                .collect(Collectors.toMap(TensorProto::getName, TensorProto::getDimsList));
        // conv 6 → 4 and 16 → 12 channels; dense 120 → 90, 84 → 63; the first dense reads 12·5·5 features
        assertThat(dims.values())
                .contains(
                        List.of(4L, 1L, 5L, 5L),
                        List.of(12L, 4L, 5L, 5L),
                        List.of(90L, 300L),
                        List.of(63L, 90L),
                        List.of(10L, 63L));
        assertThat(r.after().parameters()).isLessThan(r.before().parameters() * 7 / 10);
        // no retraining: the strongest three quarters of the channels still classify far above chance (10%)
        assertThat(r.after().accuracy()).isGreaterThan(0.5);
        Function<CompressionReport, Double> acc = x -> x.after().accuracy();
        assertThat(acc.apply(r)).isLessThanOrEqualTo(1.0);
    }
}
