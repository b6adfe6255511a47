package dev.pier.compress;

import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.evaluate.EvaluateOptions;
import dev.pier.onnx.OnnxModelReader;
import dev.pier.onnx.proto.NodeProto;
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
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Shared test material: a small MLP (784-64-10) trained once per JVM on 3,000 real MNIST images, the first
 * 1,000 test images for evaluation, and helpers to run a model and hash files.
 */
public final class TestModels {
    private static Path trained;

    private TestModels() {}

    public static synchronized Path trainedMlp() {
        if (trained == null) {
            try {
                Path dir = Files.createTempDirectory("pier-compress-fixture");
                LabeledData train = Mnist.load("mnist:train:3000", MnistFetcher.defaultDir(), Shape.of(784));
                TrainOptions options = TrainOptions.defaults().toBuilder()
                        .architecture("mlp:64")
                        .epochs(3)
                        .validationSplit(0)
                        .seed(7)
                        .output(dir.resolve("mlp.onnx"))
                        .build();
                new TrainingService().train(train, options, TrainingListener.NONE);
                trained = options.output();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return trained;
    }

    public static LabeledData evaluation() throws IOException {
        return Mnist.load("mnist:test:1000", MnistFetcher.defaultDir(), Shape.of(784));
    }

    public static EvaluateOptions quickEvaluate() {
        return EvaluateOptions.defaults().withLatencyRuns(20, 2);
    }

    public static List<String> ops(Path model) {
        return OnnxModelReader.read(model).proto().getGraph().getNodeList().stream()
                .map(NodeProto::getOpType)
                .toList();
    }

    public static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code model} on the first {@code n} examples of {@code data}; returns the first output's values. */
    public static float[] run(InferenceEngine engine, Path model, LabeledData data, int n) {
        try (ModelSession s = engine.load(model, SessionOptions.defaults())) {
            String in = s.signature().inputs().get(0).name();
            String out = s.signature().outputs().get(0).name();
            float[] x = java.util.Arrays.copyOf(data.features(), n * data.exampleSize());
            return s.run(Map.of(in, Tensor.ofFloats(in, Shape.of(n, data.exampleSize()), x)), List.of(out))
                    .get(0)
                    .floats();
        }
    }
}
