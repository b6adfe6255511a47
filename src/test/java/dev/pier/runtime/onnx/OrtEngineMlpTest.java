package dev.pier.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pier.api.DataType;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import dev.pier.onnx.Activation;
import dev.pier.onnx.DenseLayer;
import dev.pier.onnx.OnnxNetworks;
import dev.pier.runtime.ModelSession;
import dev.pier.runtime.SessionOptions;
import dev.pier.runtime.WarmUp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrtEngineMlpTest {

    @TempDir
    Path dir;

    @Test
    void mlpMatchesPlainJavaForwardPassOnABatch() {
        Random rnd = new Random(42);
        DenseLayer hidden =
                new DenseLayer(784, 16, gaussian(rnd, 784 * 16, 0.05f), gaussian(rnd, 16, 0.1f), Activation.RELU);
        DenseLayer out = new DenseLayer(16, 10, gaussian(rnd, 160, 0.3f), gaussian(rnd, 10, 0.1f), Activation.SOFTMAX);
        Path file = OnnxNetworks.mlp(List.of(hidden, out)).save(dir.resolve("mlp.onnx"));

        int batch = 5;
        float[] x = new float[batch * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat();
        }
        try (OrtEngine engine = new OrtEngine();
                ModelSession session = engine.load(file, SessionOptions.defaults())) {
            assertThat(session.signature().inputs())
                    .containsExactly(new TensorSpec("input", DataType.FP32, Shape.of(-1, 784)));
            assertThat(session.signature().outputs())
                    .containsExactly(new TensorSpec("output", DataType.FP32, Shape.of(-1, 10)));

            List<Tensor> result =
                    session.run(Map.of("input", Tensor.ofFloats("input", Shape.of(batch, 784), x)), List.of());

            assertThat(result).hasSize(1);
            assertThat(result.get(0).name()).isEqualTo("output");
            assertThat(result.get(0).shape()).isEqualTo(Shape.of(batch, 10));
            float[] expected = forward(forward(x, batch, hidden), batch, out);
            float[] actual = result.get(0).floats();
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(1e-5f));
            }
            assertThat(session.sizeBytes()).isGreaterThan((784 * 16 + 16 + 160 + 10) * 4L);
            assertThat(WarmUp.run(session).get(0).shape()).isEqualTo(Shape.of(1, 10));
        }
    }

    /** Plain-Java dense layer: act(x · W + b), computed in double. */
    static float[] forward(float[] x, int batch, DenseLayer layer) {
        int in = layer.inputs();
        int outs = layer.outputs();
        float[] w = layer.weights();
        float[] b = layer.bias();
        float[] y = new float[batch * outs];
        for (int r = 0; r < batch; r++) {
            double[] z = new double[outs];
            for (int o = 0; o < outs; o++) {
                double s = b[o];
                for (int i = 0; i < in; i++) {
                    s += (double) x[r * in + i] * w[i * outs + o];
                }
                z[o] = s;
            }
            if (layer.activation() == Activation.SOFTMAX) {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : z) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (int o = 0; o < outs; o++) {
                    z[o] = Math.exp(z[o] - max);
                    sum += z[o];
                }
                for (int o = 0; o < outs; o++) {
                    z[o] /= sum;
                }
            }
            for (int o = 0; o < outs; o++) {
                double v = z[o];
                v = switch (layer.activation()) {
                    case RELU -> Math.max(0, v);
                    case TANH -> Math.tanh(v);
                    case SIGMOID -> 1 / (1 + Math.exp(-v));
                    case SOFTMAX, NONE -> v;
                };
                y[r * outs + o] = (float) v;
            }
        }
        return y;
    }

    static float[] gaussian(Random rnd, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian() * scale;
        }
        return a;
    }
}
