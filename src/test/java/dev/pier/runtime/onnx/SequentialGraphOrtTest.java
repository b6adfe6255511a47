package dev.pier.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pier.api.DataType;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.onnx.OnnxModelReader;
import dev.pier.onnx.SequentialGraph;
import dev.pier.runtime.ModelSession;
import dev.pier.runtime.SessionOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layer-by-layer export of a small CNN, run through ONNX Runtime, against a plain-Java forward pass. */
class SequentialGraphOrtTest {

    @TempDir
    Path dir;

    @Test
    void convBatchNormPoolLinearMatchesPlainJava() {
        Random rnd = new Random(11);
        int batch = 3;
        int c = 2;
        int hw = 6;
        float[] convW = OrtEngineMlpTest.gaussian(rnd, c * 9, 0.5f);
        float[] convB = OrtEngineMlpTest.gaussian(rnd, c, 0.1f);
        float[] scale = {1.5f, 0.5f};
        float[] shift = {0.1f, -0.2f};
        float[] mean = {0.05f, -0.1f};
        float[] var = {0.8f, 1.2f};
        float eps = 1e-5f;
        float[] linW = OrtEngineMlpTest.gaussian(rnd, 4 * 18, 0.3f); // [out=4, in=18]
        float[] linB = OrtEngineMlpTest.gaussian(rnd, 4, 0.1f);

        Path file = SequentialGraph.start("cnn", "image", DataType.FP32, "batch", 1, hw, hw)
                .conv(convW, new long[] {c, 1, 3, 3}, convB, 1, 1)
                .batchNorm(scale, shift, mean, var, eps)
                .tanh()
                .maxPool(2, 2)
                .flatten()
                .linear(linW, 18, 4, linB)
                .sigmoid()
                .finish("scores", "batch", 4)
                .save(dir.resolve("cnn.onnx"));

        float[] x = OrtEngineMlpTest.gaussian(rnd, batch * hw * hw, 1f);
        float[] expected = new float[batch * 4];
        for (int n = 0; n < batch; n++) {
            float[] pooled = new float[c * 9];
            for (int ch = 0; ch < c; ch++) {
                double[][] act = new double[hw][hw];
                for (int i = 0; i < hw; i++) {
                    for (int j = 0; j < hw; j++) {
                        double s = convB[ch];
                        for (int ki = 0; ki < 3; ki++) {
                            for (int kj = 0; kj < 3; kj++) {
                                int ii = i + ki - 1;
                                int jj = j + kj - 1;
                                if (ii >= 0 && ii < hw && jj >= 0 && jj < hw) {
                                    s += convW[ch * 9 + ki * 3 + kj] * x[n * hw * hw + ii * hw + jj];
                                }
                            }
                        }
                        double bn = scale[ch] * (s - mean[ch]) / Math.sqrt(var[ch] + eps) + shift[ch];
                        act[i][j] = Math.tanh(bn);
                    }
                }
                for (int pi = 0; pi < 3; pi++) {
                    for (int pj = 0; pj < 3; pj++) {
                        double m = Math.max(
                                Math.max(act[2 * pi][2 * pj], act[2 * pi][2 * pj + 1]),
                                Math.max(act[2 * pi + 1][2 * pj], act[2 * pi + 1][2 * pj + 1]));
                        pooled[ch * 9 + pi * 3 + pj] = (float) m;
                    }
                }
            }
            for (int o = 0; o < 4; o++) {
                double s = linB[o];
                for (int i = 0; i < 18; i++) {
                    s += linW[o * 18 + i] * pooled[i];
                }
                expected[n * 4 + o] = (float) (1 / (1 + Math.exp(-s)));
            }
        }

        try (OrtEngine engine = new OrtEngine();
                ModelSession s = engine.load(file, SessionOptions.defaults())) {
            Tensor out = s.run(Map.of("image", Tensor.ofFloats("image", Shape.of(batch, 1, hw, hw), x)), List.of())
                    .get(0);
            assertThat(out.name()).isEqualTo("scores");
            assertThat(out.shape()).isEqualTo(Shape.of(batch, 4));
            float[] actual = out.floats();
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(1e-5f));
            }
        }
        assertThat(OnnxModelReader.summarize(file).opHistogram())
                .containsOnlyKeys("Conv", "BatchNormalization", "Tanh", "MaxPool", "Flatten", "Gemm", "Sigmoid");
    }

    @Test
    void averagePoolAndReshape() {
        float[] x = new float[2 * 16];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        Path file = SequentialGraph.start("pool", "x", DataType.FP32, "batch", 1, 4, 4)
                .averagePool(2, 2)
                .reshape(0, -1)
                .finish("y", "batch", 4)
                .save(dir.resolve("pool.onnx"));
        float[] expected = new float[8];
        for (int n = 0; n < 2; n++) {
            for (int pi = 0; pi < 2; pi++) {
                for (int pj = 0; pj < 2; pj++) {
                    int base = n * 16 + 2 * pi * 4 + 2 * pj;
                    expected[n * 4 + pi * 2 + pj] = (x[base] + x[base + 1] + x[base + 4] + x[base + 5]) / 4;
                }
            }
        }
        try (OrtEngine engine = new OrtEngine();
                ModelSession s = engine.load(file, SessionOptions.defaults())) {
            Tensor out = s.run(Map.of("x", Tensor.ofFloats("x", Shape.of(2, 1, 4, 4), x)), List.of())
                    .get(0);
            assertThat(out.shape()).isEqualTo(Shape.of(2, 4));
            assertThat(out.floats()).containsExactly(expected);
        }
    }
}
