package dev.pier.evaluate;

import dev.pier.api.DataType;
import dev.pier.data.LabeledData;
import dev.pier.onnx.Activation;
import dev.pier.onnx.DenseLayer;
import dev.pier.onnx.OnnxNetworks;
import dev.pier.onnx.SequentialGraph;
import java.nio.file.Path;
import java.util.List;

/**
 * A fixed-weight linear classifier for tests: class c scores {@code x·μc − ‖μc‖²/2}, which ranks classes as
 * the distance to their mean image does, with the means computed from training images. Well above chance on
 * MNIST (about 80%) without any training loop. Builds ONNX models with Pier's writer and scores images in
 * plain Java (double precision) as the independent reference.
 */
final class NearestMeanClassifier {

    final int features;
    final int classes;
    /** {@code [features][classes]}, row-major. */
    final float[] weights;

    final float[] bias;

    NearestMeanClassifier(LabeledData train) {
        features = train.exampleSize();
        classes = train.numClasses();
        double[][] sum = new double[classes][features];
        int[] count = new int[classes];
        float[] x = train.features();
        for (int i = 0; i < train.count(); i++) {
            int c = train.labels()[i];
            count[c]++;
            for (int f = 0; f < features; f++) {
                sum[c][f] += x[i * features + f];
            }
        }
        weights = new float[features * classes];
        bias = new float[classes];
        for (int c = 0; c < classes; c++) {
            double norm = 0;
            for (int f = 0; f < features; f++) {
                float mean = (float) (sum[c][f] / count[c]);
                weights[f * classes + c] = mean;
                norm += (double) mean * mean;
            }
            bias[c] = (float) (-norm / 2);
        }
    }

    /** Input {@code [batch, 784]}; output logits, or probabilities when {@code softmax}. */
    Path saveFlat(Path file, boolean softmax) {
        DenseLayer layer =
                new DenseLayer(features, classes, weights, bias, softmax ? Activation.SOFTMAX : Activation.NONE);
        return OnnxNetworks.mlp(List.of(layer)).save(file);
    }

    /** Input {@code [batch, 1, 28, 28]} (NCHW), flattened inside the graph; output logits. */
    Path saveNchw(Path file) {
        return saveImage(file, 1, 28, 28);
    }

    /** Input {@code [batch, 28, 28, 1]} (NHWC); one channel, so flattening gives the same pixel order. */
    Path saveNhwc(Path file) {
        return saveImage(file, 28, 28, 1);
    }

    private Path saveImage(Path file, Object... imageDims) {
        float[] outByIn = new float[features * classes];
        for (int f = 0; f < features; f++) {
            for (int c = 0; c < classes; c++) {
                outByIn[c * features + f] = weights[f * classes + c];
            }
        }
        Object[] dims = new Object[imageDims.length + 1];
        dims[0] = "batch";
        System.arraycopy(imageDims, 0, dims, 1, imageDims.length);
        return SequentialGraph.start("image", "image", DataType.FP32, dims)
                .flatten()
                .linear(outByIn, features, classes, bias)
                .finish("logits", "batch", classes)
                .save(file);
    }

    /** Logits of one example, in double precision. */
    double[] logits(float[] x, int offset) {
        double[] out = new double[classes];
        for (int c = 0; c < classes; c++) {
            double s = bias[c];
            for (int f = 0; f < features; f++) {
                s += (double) x[offset + f] * weights[f * classes + c];
            }
            out[c] = s;
        }
        return out;
    }

    long parameterCount() {
        return (long) features * classes + classes;
    }
}
