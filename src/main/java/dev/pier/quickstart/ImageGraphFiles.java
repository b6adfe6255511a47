package dev.pier.quickstart;

import dev.pier.api.Shape;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistPng;
import dev.pier.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The reference example as an inference graph: {@code mnist_image}, a Triton-style ensemble that takes PNG bytes
 * and answers the digit and its probability, with no code: {@code mnist_png} ({@code pier_image}: 28×28 grey,
 * pixels / 255, flattened to the 784 inputs of {@code mnist}), {@code mnist} (whatever version it serves), and
 * {@code mnist_labels} ({@code pier_labels}: the best class and its score). Also writes {@code digit.png}, the first
 * image of the MNIST test set, for the README's curl example. Config files are written only when absent, so a
 * user's edits survive later runs.
 */
public final class ImageGraphFiles {
    public static final String ENSEMBLE = "mnist_image";
    public static final String DIGIT_PNG = "digit.png";

    static final String DECODE_CONFIG = """
            # Written by pier quickstart: PNG/JPEG bytes -> the 784 pixels (0..1) the MNIST model reads.
            platform: pier_image
            input: [{name: image, data_type: TYPE_STRING, dims: [-1]}]
            output: [{name: pixels, data_type: TYPE_FP32, dims: [-1, 784]}]
            parameters:
              width: {string_value: "28"}
              height: {string_value: "28"}
              channels: {string_value: "1"}
              # invert: {string_value: "true"}   # for dark digits on a light background (photos, scans)
            """;

    static final String LABELS_CONFIG = """
            # Written by pier quickstart: class probabilities -> the best class's label and its probability.
            platform: pier_labels
            input: [{name: probabilities, data_type: TYPE_FP32, dims: [-1, 10]}]
            output:
              - {name: classes, data_type: TYPE_STRING, dims: [-1], label_filename: labels.txt}
              - {name: scores, data_type: TYPE_FP32, dims: [-1]}
            """;

    static final String ENSEMBLE_CONFIG = """
            # Written by pier quickstart: a Triton ensemble, PNG bytes in -> digit and probability out.
            platform: ensemble
            input: [{name: image, data_type: TYPE_STRING, dims: [-1]}]
            output:
              - {name: classes, data_type: TYPE_STRING, dims: [-1]}
              - {name: scores, data_type: TYPE_FP32, dims: [-1]}
              - {name: probabilities, data_type: TYPE_FP32, dims: [-1, 10], label_filename: labels.txt}
            ensemble_scheduling:
              step:
                - {model_name: mnist_png, model_version: -1, input_map: {image: image}, output_map: {pixels: pixels}}
                - {model_name: mnist, model_version: -1, input_map: {input: pixels}, output_map: {probabilities: probabilities}}
                - {model_name: mnist_labels, model_version: -1, input_map: {probabilities: probabilities},
                   output_map: {classes: classes, scores: scores}}
            """;

    private ImageGraphFiles() {}

    /**
     * Writes the three models' folders into {@code repository} (beside {@code mnist}) and the test PNG.
     *
     * @return the PNG written ({@code repository/mnist_image/digit.png})
     */
    public static Path write(Path repository, Path dataDir) throws IOException {
        String labels = IntStream.range(0, 10).mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n"));
        writeIfAbsent(repository.resolve("mnist_png").resolve("config.yaml"), DECODE_CONFIG);
        writeIfAbsent(repository.resolve("mnist_labels").resolve("config.yaml"), LABELS_CONFIG);
        writeIfAbsent(repository.resolve("mnist_labels").resolve("labels.txt"), labels);
        writeIfAbsent(repository.resolve(ENSEMBLE).resolve("config.yaml"), ENSEMBLE_CONFIG);
        writeIfAbsent(repository.resolve(ENSEMBLE).resolve("labels.txt"), labels);
        LabeledData first = Mnist.load(Mnist.Split.TEST, 1, dataDir, Shape.of(784));
        Path png = repository.resolve(ENSEMBLE).resolve(DIGIT_PNG);
        if (!Files.exists(png)) {
            AtomicFiles.write(png, MnistPng.encode(first, 0));
        }
        return png;
    }

    private static void writeIfAbsent(Path file, String content) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            AtomicFiles.writeString(file, content);
        }
    }
}
