package dev.pier.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.DataType;
import dev.pier.api.PierException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.onnx.OnnxAttributes;
import dev.pier.onnx.OnnxModelBuilder;
import dev.pier.runtime.SessionOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs that write into reused output tensors (pinned outputs) against the expected products computed here:
 * every batch size gives its own exact answer, an answer stays as it was after later runs, threads do not see
 * each other's results, a model whose outputs do not follow the batch still answers (and stops pinning), and a
 * bad request still fails with its own error.
 */
class OrtPinnedOutputsTest {
    private static final float[] WEIGHTS = {0.5f, -1f, 2f, 0.25f, -0.125f, 3f}; // 3 x 2, row-major
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

    private OrtModelSession matMul() {
        Path file = OnnxModelBuilder.create("matmul")
                .input("x", DataType.FP32, "n", 3)
                .initializer("w", new long[] {3, 2}, WEIGHTS)
                .node("MatMul", List.of("x", "w"), List.of("y"))
                .output("y", DataType.FP32, "n", 2)
                .save(dir.resolve("matmul.onnx"));
        return (OrtModelSession) engine.load(file, SessionOptions.defaults());
    }

    private static float[] expected(float[] x, int rows) {
        float[] y = new float[rows * 2];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 2; c++) {
                float sum = 0;
                for (int k = 0; k < 3; k++) {
                    sum += x[r * 3 + k] * WEIGHTS[k * 2 + c];
                }
                y[r * 2 + c] = sum;
            }
        }
        return y;
    }

    private static float[] input(SplittableRandom random, int rows) {
        float[] x = new float[rows * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextInt(-8, 9) / 4; // exact in float, so the sums are exact
        }
        return x;
    }

    private static Tensor run(OrtModelSession s, String name, float[] x, int rows) {
        List<Tensor> out = s.run(Map.of(name, Tensor.ofFloats(name, Shape.of(rows, 3), x)), List.of());
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @Test
    void everyBatchSizeGetsItsOwnExactAnswerAndAnswersStayAsTheyWere() {
        SplittableRandom random = new SplittableRandom(11);
        try (OrtModelSession s = matMul()) {
            assertThat(s.pinsOutputs()).isTrue();
            List<Tensor> answers = new ArrayList<>();
            List<float[]> expectations = new ArrayList<>();
            for (int rows : new int[] {1, 3, 1, 5, 5, 2, 1}) {
                float[] x = input(random, rows);
                Tensor y = run(s, "x", x, rows);
                assertThat(y.shape()).isEqualTo(Shape.of(rows, 2));
                assertThat(y.datatype()).isEqualTo(DataType.FP32);
                assertThat(y.floats()).containsExactly(expected(x, rows));
                answers.add(y);
                expectations.add(expected(x, rows));
            }
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).floats())
                        .as("answer %d after later runs", i)
                        .containsExactly(expectations.get(i));
            }
            assertThat(s.pinsOutputs()).isTrue();
        }
    }

    @Test
    void threadsKeepTheirOwnOutputs() throws Exception {
        try (OrtModelSession s = matMul()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Integer>> done = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int seed = t;
                    done.add(pool.submit(() -> {
                        SplittableRandom random = new SplittableRandom(seed);
                        for (int n = 0; n < 300; n++) {
                            int rows = 1 + random.nextInt(3);
                            float[] x = input(random, rows);
                            assertThat(run(s, "x", x, rows).floats()).containsExactly(expected(x, rows));
                        }
                        return 300;
                    }));
                }
                for (Future<Integer> f : done) {
                    assertThat(f.get()).isEqualTo(300);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void outputsThatDoNotFollowTheBatchAreStillAnsweredAndStopPinning() {
        // y = concat(x, x) on the first axis: 2n rows for n, which a pinned n-row output cannot hold
        Path file = OnnxModelBuilder.create("twice")
                .input("x", DataType.FP32, "n", 3)
                .node("Concat", List.of("x", "x"), List.of("y"), OnnxAttributes.of("axis", 0L))
                .output("y", DataType.FP32, "m", 3)
                .save(dir.resolve("twice.onnx"));
        try (OrtModelSession s = (OrtModelSession) engine.load(file, SessionOptions.defaults())) {
            assertThat(s.pinsOutputs()).isTrue();
            float[] x = {1, 2, 3, 4, 5, 6};
            Tensor y = s.run(Map.of("x", Tensor.ofFloats("x", Shape.of(2, 3), x)), List.of())
                    .get(0);
            assertThat(y.shape()).isEqualTo(Shape.of(4, 3));
            assertThat(y.floats()).containsExactly(1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6);
            assertThat(s.pinsOutputs()).isFalse();
            Tensor again = s.run(Map.of("x", Tensor.ofFloats("x", Shape.of(1, 3), 7, 8, 9)), List.of())
                    .get(0);
            assertThat(again.floats()).containsExactly(7, 8, 9, 7, 8, 9);
        }
    }

    @Test
    void aBadRequestFailsWithItsOwnErrorAndPinningStays() {
        try (OrtModelSession s = matMul()) {
            // four columns where the model multiplies three: ONNX Runtime refuses it with or without pinning
            Tensor wide = Tensor.ofFloats("x", Shape.of(1, 4), 1, 2, 3, 4);
            assertThatThrownBy(() -> s.run(Map.of("x", wide), List.of()))
                    .isInstanceOf(PierException.class)
                    .hasMessageContaining("x");
            assertThat(s.pinsOutputs()).isTrue();
            float[] x = {1, 1, 1};
            assertThat(run(s, "x", x, 1).floats()).containsExactly(expected(x, 1));
        }
    }

    @Test
    void pinningCanBeTurnedOffForMeasurements() {
        System.setProperty(OrtModelSession.PINNED_OUTPUTS_PROPERTY, "false");
        try (OrtModelSession s = matMul()) {
            assertThat(s.pinsOutputs()).isFalse();
            float[] x = {1, 2, 3};
            assertThat(run(s, "x", x, 1).floats()).containsExactly(expected(x, 1));
        } finally {
            System.clearProperty(OrtModelSession.PINNED_OUTPUTS_PROPERTY);
        }
    }
}
