package dev.pier.examples;

import dev.pier.onnx.Activation;
import dev.pier.onnx.DenseLayer;
import dev.pier.onnx.OnnxModelBuilder;
import dev.pier.onnx.OnnxNetworks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Models made by Pier's own ONNX writer, for demos and benchmarks when no trained model is at hand: the
 * reference example's shape (784 → 128 relu → 10 softmax) with seeded random weights (He-style scale, so
 * the outputs are not degenerate). The same seed gives byte-identical files.
 */
public final class ExampleModels {
    public static final String MNIST_INPUT = "input";
    public static final String MNIST_OUTPUT = "probabilities";

    private ExampleModels() {
    }

    /** The reference MLP's graph with random weights drawn from {@code seed}. */
    public static OnnxModelBuilder mnistMlp(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DenseLayer hidden = randomLayer(784, 128, Activation.RELU, random);
        DenseLayer out = randomLayer(128, 10, Activation.SOFTMAX, random);
        return OnnxNetworks.mlp("mnist_mlp", MNIST_INPUT, MNIST_OUTPUT, List.of(hidden, out));
    }

    /** Writes {@code root/mnist/1/model.onnx} (a repository with one model) and returns the model file. */
    public static Path writeMnistRepository(Path root, long seed) {
        Path file = root.resolve("mnist").resolve("1").resolve("model.onnx");
        try {
            Files.createDirectories(file.getParent());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + file.getParent(), e);
        }
        return mnistMlp(seed).save(file);
    }

    static DenseLayer randomLayer(int inputs, int outputs, Activation activation, SplittableRandom random) {
        double scale = Math.sqrt(2.0 / inputs);
        float[] w = new float[inputs * outputs];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (gaussian(random) * scale);
        }
        float[] b = new float[outputs];
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (gaussian(random) * 0.01);
        }
        return new DenseLayer(inputs, outputs, w, b, activation);
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; SplittableRandom has no nextGaussian on every JDK we target
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
