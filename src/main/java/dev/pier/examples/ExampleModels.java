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

    private ExampleModels() {}

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

    /**
     * A CNN the size of ResNet-18 (17 3x3 convolutions in stages of 64-128-256-512 channels, about 11 M
     * weights) on 3x32x32 inputs, without the residual additions: enough compute per image to show what
     * batching does for a convolutional model. Input {@code input} [batch,3,32,32], output
     * {@code probabilities} [batch,10]; random He-scaled weights.
     */
    public static OnnxModelBuilder resnet18SizedCnn(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        dev.pier.onnx.SequentialGraph g =
                dev.pier.onnx.SequentialGraph.start("cnn", MNIST_INPUT, dev.pier.api.DataType.FP32, "batch", 3, 32, 32);
        int channels = 3;
        int[][] stages = {
            {64, 1}, {64, 1}, {64, 1}, {64, 1}, {64, 1}, {128, 2}, {128, 1}, {128, 1}, {128, 1}, {256, 2}, {256, 1},
            {256, 1}, {256, 1}, {512, 2}, {512, 1}, {512, 1}, {512, 1}
        };
        for (int[] stage : stages) {
            int out = stage[0];
            float[] w = new float[out * channels * 9];
            double scale = Math.sqrt(2.0 / (channels * 9));
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (gaussian(random) * scale);
            }
            g.conv(w, new long[] {out, channels, 3, 3}, new float[out], stage[1], 1)
                    .relu();
            channels = out;
        }
        g.averagePool(4, 4).flatten();
        DenseLayer head = randomLayer(512, 10, Activation.SOFTMAX, random);
        g.dense(head);
        return g.finish(MNIST_OUTPUT, "batch", 10);
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
