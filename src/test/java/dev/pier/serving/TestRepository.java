package dev.pier.serving;

import dev.pier.onnx.Activation;
import dev.pier.onnx.DenseLayer;
import dev.pier.onnx.OnnxNetworks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Writes a model repository of real ONNX models for tests: each version is a one-layer linear model
 * {@code output = input · W + b} (input "input" [batch, 4], output "output" [batch, 3]) with its own random
 * weights, and {@link #expected} computes its output in plain Java.
 */
final class TestRepository {
    static final int IN = 4;
    static final int OUT = 3;

    final Path root;
    private final Random rnd = new Random(7);

    TestRepository(Path root) {
        this.root = root;
    }

    /** Writes {@code root/model/version/model.onnx} with fresh random weights and returns the layer. */
    DenseLayer version(String model, long version) {
        float[] w = new float[IN * OUT];
        float[] b = new float[OUT];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rnd.nextGaussian();
        }
        DenseLayer layer = new DenseLayer(IN, OUT, w, b, Activation.NONE);
        OnnxNetworks.mlp(List.of(layer)).save(dir(model, version).resolve("model.onnx"));
        return layer;
    }

    /** Writes bytes that are not an ONNX model. */
    void corrupt(String model, long version) {
        write(dir(model, version).resolve("model.onnx"), "this is not a protobuf model");
    }

    void config(String model, String yaml) {
        write(dir(model).resolve("config.yaml"), yaml);
    }

    void file(String model, String name, String text) {
        write(dir(model).resolve(name), text);
    }

    Path dir(String model, long version) {
        return createDirectories(root.resolve(model).resolve(Long.toString(version)));
    }

    Path dir(String model) {
        return createDirectories(root.resolve(model));
    }

    /** The plain-Java output of a linear layer for a [batch, IN] input. */
    static float[] expected(DenseLayer layer, float[] x) {
        int batch = x.length / IN;
        float[] w = layer.weights();
        float[] b = layer.bias();
        float[] y = new float[batch * OUT];
        for (int r = 0; r < batch; r++) {
            for (int o = 0; o < OUT; o++) {
                double s = b[o];
                for (int i = 0; i < IN; i++) {
                    s += (double) x[r * IN + i] * w[i * OUT + o];
                }
                y[r * OUT + o] = (float) s;
            }
        }
        return y;
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
