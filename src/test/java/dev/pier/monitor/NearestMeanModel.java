package dev.pier.monitor;

import dev.pier.data.LabeledData;
import dev.pier.onnx.Activation;
import dev.pier.onnx.DenseLayer;
import dev.pier.onnx.OnnxNetworks;
import java.nio.file.Path;
import java.util.List;

/**
 * A real MNIST classifier for monitoring tests without a training loop: class c scores
 * {@code x·μc − ‖μc‖²/2} (nearest class mean), softmax on top; input {@code input} [N, 784], output
 * {@code probabilities} [N, 10]. Also predicts in plain Java (double precision), the tests' independent
 * reference.
 */
public final class NearestMeanModel {
    private final int features;
    private final int classes;
    private final double[][] means;
    private final double[] bias;

    public NearestMeanModel(LabeledData train) {
        features = train.exampleSize();
        classes = train.numClasses();
        means = new double[classes][features];
        int[] count = new int[classes];
        for (int i = 0; i < train.count(); i++) {
            int c = train.labels()[i];
            count[c]++;
            for (int f = 0; f < features; f++) {
                means[c][f] += train.features()[i * features + f];
            }
        }
        bias = new double[classes];
        for (int c = 0; c < classes; c++) {
            for (int f = 0; f < features; f++) {
                means[c][f] = (float) (means[c][f] / count[c]);
                bias[c] -= means[c][f] * means[c][f] / 2;
            }
        }
    }

    public Path save(Path file) {
        float[] w = new float[features * classes];
        float[] b = new float[classes];
        for (int c = 0; c < classes; c++) {
            b[c] = (float) bias[c];
            for (int f = 0; f < features; f++) {
                w[f * classes + c] = (float) means[c][f];
            }
        }
        return OnnxNetworks.mlp(List.of(new DenseLayer(features, classes, w, b, Activation.SOFTMAX)))
                .save(file);
    }

    /** The predicted class of row {@code i} of {@code x}. */
    public int predict(float[] x, int i) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double s = bias[c];
            for (int f = 0; f < features; f++) {
                s += x[i * features + f] * means[c][f];
            }
            if (s > bestScore) {
                bestScore = s;
                best = c;
            }
        }
        return best;
    }
}
