package dev.pier.compress;

import dev.pier.api.Shape;
import dev.pier.data.Datasets;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.onnx.OnnxModel;
import dev.pier.onnx.OnnxValueInfo;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads a dataset spec in the layout a model's input expects: MNIST as {@code [784]} for a rank-2 input,
 * {@code [1,28,28]} or {@code [28,28,1]} for a rank-4 one. {@code random:N[:SEED]} makes N seeded uniform [0, 1)
 * examples in the model's declared input shape, all labelled 0: for latency and size figures of models without
 * a dataset (the ResNet-18-sized example CNN); their accuracy figures mean nothing. Other datasets load as their
 * loaders define. Stateless.
 */
public final class ModelData {
    private ModelData() {}

    public static LabeledData load(String spec, OnnxModel model, Path mnistDir) throws IOException {
        if (spec.startsWith("random:")) {
            return random(spec, model);
        }
        Shape shape = null;
        if (Mnist.handles(spec)) {
            OnnxValueInfo in = model.summary().inputs().get(0);
            Shape declared = in.shape();
            shape = declared == null || declared.rank() != 4
                    ? Shape.of(784)
                    : declared.dim(3) == 1 ? Shape.of(28, 28, 1) : Shape.of(1, 28, 28);
        }
        return Datasets.load(spec, new Datasets.Options(mnistDir, shape, null, null));
    }

    private static LabeledData random(String spec, OnnxModel model) {
        String[] parts = spec.split(":");
        int n;
        long seed;
        try {
            n = Integer.parseInt(parts[1]);
            seed = parts.length > 2 ? Long.parseLong(parts[2]) : 42;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "bad dataset '" + spec + "': expected random:N or random:N:SEED, e.g. random:200");
        }
        Shape declared = model.summary().inputs().get(0).shape();
        if (declared == null || declared.rank() < 2 || n <= 0) {
            throw new IllegalArgumentException("dataset '" + spec + "' needs N > 0 and a model input with a known shape"
                    + " [batch, ...], but the input is " + declared);
        }
        long[] dims = new long[declared.rank() - 1];
        for (int d = 1; d < declared.rank(); d++) {
            if (declared.dim(d) <= 0) {
                throw new IllegalArgumentException(
                        "dataset '" + spec + "' needs fixed input dims after the batch, got " + declared);
            }
            dims[d - 1] = declared.dim(d);
        }
        Shape example = Shape.of(dims);
        int per = (int) java.util.Arrays.stream(dims).reduce(1, Math::multiplyExact);
        float[] x = new float[Math.multiplyExact(n, per)];
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        return new LabeledData(spec, x, example, new int[n], 10);
    }
}
