package dev.pier.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.onnx.Activation;
import dev.pier.onnx.DenseLayer;
import dev.pier.onnx.OnnxNetworks;
import dev.pier.runtime.onnx.OrtEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serves an MNIST-shaped MLP from a Triton-style repository and checks real MNIST images against plain Java. */
class MnistServingTest {
    @TempDir
    Path root;

    @Test
    void servesABatchOfRealMnistImagesThroughTheServingCore() throws Exception {
        Random rnd = new Random(3);
        DenseLayer hidden =
                new DenseLayer(784, 32, gaussian(rnd, 784 * 32, 0.05f), gaussian(rnd, 32, 0.1f), Activation.RELU);
        DenseLayer out = new DenseLayer(32, 10, gaussian(rnd, 320, 0.3f), gaussian(rnd, 10, 0.1f), Activation.SOFTMAX);
        Path dir = Files.createDirectories(root.resolve("mnist/1"));
        OnnxNetworks.mlp(List.of(hidden, out)).save(dir.resolve("model.onnx"));
        Files.writeString(
                root.resolve("mnist/labels.txt"), "zero\none\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\n");
        Files.writeString(root.resolve("mnist/config.yaml"), """
                name: mnist
                platform: onnxruntime_onnx
                max_batch_size: 16
                input: [{name: input, data_type: TYPE_FP32, dims: [784]}]
                output: [{name: output, data_type: TYPE_FP32, dims: [10], label_filename: labels.txt}]
                """);
        LabeledData images = Mnist.load(Mnist.Split.TEST, 8, MnistFetcher.defaultDir(), Shape.of(784));

        try (OrtEngine engine = new OrtEngine();
                ServingCore core = ServingCore.start(ServingOptions.of(root, null), engine)) {
            InferRequest request = new InferRequest(
                    "mnist-1",
                    "mnist",
                    OptionalLong.empty(),
                    List.of(Tensor.ofFloats("input", Shape.of(8, 784), images.features())),
                    List.of(),
                    Map.of());
            InferResponse response = core.infer(request).toCompletableFuture().get(30, TimeUnit.SECONDS);

            Tensor probs = response.outputs().getFirst();
            assertThat(probs.shape()).isEqualTo(Shape.of(8, 10));
            float[] expected = dense(dense(images.features(), 8, hidden), 8, out);
            float[] actual = probs.floats();
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(1e-5f));
            }
            assertThat(core.metadata("mnist", OptionalLong.empty()).properties().get("labels.output"))
                    .isEqualTo(
                            "[\"zero\",\"one\",\"two\",\"three\",\"four\",\"five\",\"six\",\"seven\",\"eight\",\"nine\"]");
        }
    }

    /** act(x · W + b) for a batch, in double, then rounded to float. */
    private static float[] dense(float[] x, int batch, DenseLayer layer) {
        int in = layer.inputs();
        int outs = layer.outputs();
        float[] w = layer.weights();
        float[] b = layer.bias();
        float[] y = new float[batch * outs];
        for (int r = 0; r < batch; r++) {
            double[] z = new double[outs];
            double max = Double.NEGATIVE_INFINITY;
            for (int o = 0; o < outs; o++) {
                double s = b[o];
                for (int i = 0; i < in; i++) {
                    s += (double) x[r * in + i] * w[i * outs + o];
                }
                z[o] = layer.activation() == Activation.RELU ? Math.max(0, s) : s;
                max = Math.max(max, z[o]);
            }
            if (layer.activation() == Activation.SOFTMAX) {
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
                y[r * outs + o] = (float) z[o];
            }
        }
        return y;
    }

    private static float[] gaussian(Random rnd, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian() * scale;
        }
        return v;
    }
}
