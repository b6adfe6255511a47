package dev.pier.compress;

import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.runtime.InferenceEngine;
import dev.pier.runtime.ModelSession;
import dev.pier.runtime.SessionOptions;
import dev.pier.train.TrainOptions;
import dev.pier.train.TrainingListener;
import dev.pier.train.TrainingService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Shared test material for convolutional compression: LeNet-5 (conv 6@5x5, pool, conv 16@5x5, pool, 120, 84,
 * 10) trained once per JVM on 4,000 real MNIST images for 2 epochs (a few seconds), MNIST in its [1,28,28]
 * layout, and a helper that runs any model on image batches.
 */
public final class CnnFixture {
    private static Path trained;

    private CnnFixture() {}

    public static synchronized Path trainedLenet5() {
        if (trained == null) {
            try {
                Path dir = Files.createTempDirectory("pier-compress-cnn");
                LabeledData train = Mnist.load("mnist:train:4000", MnistFetcher.defaultDir(), Shape.of(1, 28, 28));
                TrainOptions options = TrainOptions.defaults().toBuilder()
                        .architecture("lenet5")
                        .epochs(2)
                        .validationSplit(0)
                        .seed(7)
                        .output(dir.resolve("lenet5.onnx"))
                        .build();
                new TrainingService().train(train, options, TrainingListener.NONE);
                trained = options.output();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return trained;
    }

    public static LabeledData images(String spec) throws IOException {
        return Mnist.load(spec, MnistFetcher.defaultDir(), Shape.of(1, 28, 28));
    }

    /** Runs {@code model} on the first {@code n} examples of {@code data} (any example shape); returns the first output. */
    public static float[] run(InferenceEngine engine, Path model, LabeledData data, int n) {
        try (ModelSession s = engine.load(model, SessionOptions.defaults())) {
            String in = s.signature().inputs().get(0).name();
            String out = s.signature().outputs().get(0).name();
            long[] dims = new long[data.exampleShape().rank() + 1];
            dims[0] = n;
            for (int d = 0; d < data.exampleShape().rank(); d++) {
                dims[d + 1] = data.exampleShape().dim(d);
            }
            float[] x = Arrays.copyOf(data.features(), n * data.exampleSize());
            return s.run(Map.of(in, Tensor.ofFloats(in, Shape.of(dims), x)), List.of(out))
                    .get(0)
                    .floats();
        }
    }
}
