package dev.pier.serving;

import dev.pier.api.ModelSignature;
import dev.pier.api.TensorSpec;
import dev.pier.repository.ModelConfig;
import dev.pier.repository.TensorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code label_filename} of each output (one label per line, trailing blank lines dropped) and checks
 * that an output has as many classes as its file has labels. Shared by every kind of loader. Pure but for the
 * file reads.
 */
public final class LabelFiles {
    private LabelFiles() {}

    /** Every output's labels, checked against the signature's last dimension where it is known. */
    public static Map<String, List<String>> read(ModelConfig config, Path modelDir, ModelSignature signature) {
        Map<String, List<String>> labels = read(config, modelDir);
        for (Map.Entry<String, List<String>> e : labels.entrySet()) {
            TensorSpec spec = signature.output(e.getKey()).orElse(null);
            if (spec != null && spec.shape().rank() > 0) {
                long classes = spec.shape().dim(spec.shape().rank() - 1);
                if (classes > 0 && classes != e.getValue().size()) {
                    throw new IllegalStateException("label file " + modelDir.resolve(labelFile(config, e.getKey()))
                            + " has " + e.getValue().size() + " labels but output '" + e.getKey() + "' has " + classes
                            + " classes");
                }
            }
        }
        return labels;
    }

    /** Every output's labels, unchecked (for steps, which learn their signature from them). */
    public static Map<String, List<String>> read(ModelConfig config, Path modelDir) {
        Map<String, List<String>> labels = new HashMap<>();
        for (TensorConfig out : config.output()) {
            if (out.labelFilename() == null) {
                continue;
            }
            Path file = modelDir.resolve(out.labelFilename());
            try {
                List<String> lines =
                        Files.readAllLines(file).stream().map(String::strip).toList();
                labels.put(out.name(), trimTrailingBlank(lines));
            } catch (IOException e) {
                throw new IllegalStateException(
                        "label_filename of output '" + out.name() + "': cannot read " + file + " ("
                                + e.getClass().getSimpleName() + ")",
                        e);
            }
        }
        return labels;
    }

    private static String labelFile(ModelConfig config, String output) {
        return config.output().stream()
                .filter(o -> o.name().equals(output))
                .findFirst()
                .orElseThrow()
                .labelFilename();
    }

    private static List<String> trimTrailingBlank(List<String> lines) {
        int end = lines.size();
        while (end > 0 && lines.get(end - 1).isEmpty()) {
            end--;
        }
        return List.copyOf(lines.subList(0, end));
    }
}
