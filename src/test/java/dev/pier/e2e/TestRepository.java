package dev.pier.e2e;

import dev.pier.api.DataType;
import dev.pier.onnx.Activation;
import dev.pier.onnx.DenseLayer;
import dev.pier.onnx.OnnxModelBuilder;
import dev.pier.onnx.OnnxNetworks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A model repository made for the end-to-end tests with Pier's ONNX writer, plus the plain-Java arithmetic
 * that says what each model must answer, so the tests never trust the server's own computation:
 * <ul>
 *   <li>{@code mlp}: 6 → 5 relu → 3 softmax, versions 1 and 2 with different weights, {@code version_policy: all}</li>
 *   <li>{@code multi}: inputs a, b (FP32 [-1,3]) → outputs sum = a+b, prod = a·b</li>
 *   <li>{@code ints}: x (INT64 [-1,4]) → y = x + x</li>
 *   <li>{@code strings}: s (BYTES [-1]) → t = s</li>
 * </ul>
 */
final class TestRepository {
    static final int IN = 6;
    static final int HIDDEN = 5;
    static final int OUT = 3;

    final Path root;
    final DenseLayer[][] mlpVersions = new DenseLayer[3][];

    TestRepository(Path root) throws IOException {
        this.root = root;
        for (int v = 1; v <= 2; v++) {
            SplittableRandom r = new SplittableRandom(100 + v);
            mlpVersions[v] =
                    new DenseLayer[] {layer(IN, HIDDEN, Activation.RELU, r), layer(HIDDEN, OUT, Activation.SOFTMAX, r)};
            save(OnnxNetworks.mlp("mlp", "x", "probs", List.of(mlpVersions[v])), "mlp", v);
        }
        Files.writeString(root.resolve("mlp").resolve("config.yaml"), "version_policy: {all: {}}\n");

        save(
                OnnxModelBuilder.create("multi")
                        .input("a", DataType.FP32, "batch", 3)
                        .input("b", DataType.FP32, "batch", 3)
                        .node("Add", List.of("a", "b"), List.of("sum"))
                        .node("Mul", List.of("a", "b"), List.of("prod"))
                        .output("sum", DataType.FP32, "batch", 3)
                        .output("prod", DataType.FP32, "batch", 3),
                "multi",
                1);
        save(
                OnnxModelBuilder.create("ints")
                        .input("x", DataType.INT64, "batch", 4)
                        .node("Add", List.of("x", "x"), List.of("y"))
                        .output("y", DataType.INT64, "batch", 4),
                "ints",
                1);
        save(
                OnnxModelBuilder.create("strings")
                        .input("s", DataType.BYTES, "batch")
                        .node("Identity", List.of("s"), List.of("t"))
                        .output("t", DataType.BYTES, "batch"),
                "strings",
                1);
    }

    private void save(OnnxModelBuilder builder, String model, int version) throws IOException {
        Path file = root.resolve(model).resolve(Integer.toString(version)).resolve("model.onnx");
        Files.createDirectories(file.getParent());
        builder.save(file);
    }

    static DenseLayer layer(int in, int out, Activation act, SplittableRandom r) {
        float[] w = new float[in * out];
        float[] b = new float[out];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextDouble() * 2 - 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (r.nextDouble() * 0.2 - 0.1);
        }
        return new DenseLayer(in, out, w, b, act);
    }

    /** The MLP of {@code version} computed in plain Java, in double precision. */
    double[] mlp(int version, float[] x) {
        return forward(mlpVersions[version], x);
    }

    /** A relu → softmax MLP of two layers computed in plain Java, in double precision. */
    static double[] forward(DenseLayer[] layers, float[] x) {
        double[] h = dense(layers[0], toDouble(x));
        for (int i = 0; i < h.length; i++) {
            h[i] = Math.max(0, h[i]);
        }
        double[] z = dense(layers[1], h);
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            z[i] = Math.exp(z[i] - max);
            sum += z[i];
        }
        for (int i = 0; i < z.length; i++) {
            z[i] /= sum;
        }
        return z;
    }

    private static double[] dense(DenseLayer layer, double[] x) {
        float[] w = layer.weights();
        float[] b = layer.bias();
        double[] y = new double[layer.outputs()];
        for (int o = 0; o < y.length; o++) {
            double s = b[o];
            for (int i = 0; i < x.length; i++) {
                s += x[i] * w[i * layer.outputs() + o];
            }
            y[o] = s;
        }
        return y;
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
