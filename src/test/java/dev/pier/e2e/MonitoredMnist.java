package dev.pier.e2e;

import dev.pier.api.Shape;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.evaluate.EvaluateOptions;
import dev.pier.evaluate.Evaluator;
import dev.pier.monitor.NearestMeanModel;
import dev.pier.profile.Profiles;
import dev.pier.runtime.onnx.OrtEngine;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A repository {@code <root>/mnist/1} holding a real MNIST classifier (nearest class mean, batching up to 8 rows) with the reference
 * profile that drift detection compares live traffic with, and the MNIST test images to send it.
 */
final class MonitoredMnist {
    final Path root;
    final LabeledData test;

    MonitoredMnist(Path root) throws Exception {
        this.root = root;
        LabeledData train = Mnist.load(Mnist.Split.TRAIN, 5_000, MnistFetcher.defaultDir(), Shape.of(784));
        test = Mnist.load(Mnist.Split.TEST, 1_000, MnistFetcher.defaultDir(), Shape.of(784));
        Path model = new NearestMeanModel(train)
                .save(Files.createDirectories(root.resolve("mnist/1")).resolve("model.onnx"));
        // batching on, so a request of n rows counts n inferences (nv_inference_count), as in Triton
        Files.writeString(root.resolve("mnist/config.yaml"), "max_batch_size: 8\n");
        try (OrtEngine engine = new OrtEngine()) {
            Profiles.write(
                    new Evaluator(engine).profile(model, train, EvaluateOptions.defaults()),
                    Profiles.defaultPath(model));
        }
    }

    /**
     * A KServe V2 request body with {@code rows} test images from {@code first}; {@code inverted} sends 1 - x
     * (white digits on black turned black on white), which drift detection flags.
     */
    String inferBody(int first, int rows, boolean inverted) {
        int per = test.exampleSize();
        StringBuilder b = new StringBuilder("{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[")
                .append(rows)
                .append(',')
                .append(per)
                .append("],\"data\":[");
        for (int i = 0; i < rows * per; i++) {
            float x = test.features()[((first + i / per) % test.count()) * per + i % per];
            b.append(i == 0 ? "" : ",").append(inverted ? 1 - x : x);
        }
        return b.append("]}]}").toString();
    }
}
