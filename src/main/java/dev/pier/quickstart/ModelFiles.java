package dev.pier.quickstart;

import dev.pier.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The reference model's {@code config.yaml} (Triton's field names) and its labels file. Written only when
 * absent, so a user's edits survive later quickstart runs.
 */
final class ModelFiles {
    static final String CONFIG = """
            # Written by pier quickstart; Triton's model-configuration names, in YAML.
            name: mnist
            platform: onnxruntime_onnx
            max_batch_size: 0            # the model declares its own dynamic batch dimension (-1)
            input:
              - {name: input, data_type: TYPE_FP32, dims: [-1, 784]}
            output:
              - {name: probabilities, data_type: TYPE_FP32, dims: [-1, 10], label_filename: labels.txt}
            version_policy: {latest: {num_versions: 1}}
            parameters:
              intra_op_thread_count: {string_value: "1"}
            """;

    private ModelFiles() {}

    static void writeConfigIfAbsent(Path modelDir) throws IOException {
        writeIfAbsent(modelDir.resolve("config.yaml"), CONFIG);
        writeIfAbsent(
                modelDir.resolve("labels.txt"),
                IntStream.range(0, 10).mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n")));
    }

    private static void writeIfAbsent(Path file, String content) throws IOException {
        if (!Files.exists(file)) {
            AtomicFiles.writeString(file, content);
        }
    }
}
