package dev.pier.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the {@code config.yaml} of each model in a Triton-style repository ({@code root/<model>/config.yaml})
 * so they can ship in a ConfigMap. Models without one are skipped (the server infers their config). Stateless.
 */
public final class ModelConfigFiles {

    /** ConfigMaps are capped at 1 MiB in total; stay clear of it. */
    static final long MAX_TOTAL_BYTES = 900 * 1024;

    private ModelConfigFiles() {}

    /** Model name to the text of its config.yaml, sorted by name. */
    public static Map<String, String> read(Path repository) throws IOException {
        if (!Files.isDirectory(repository)) {
            throw new NoSuchFileException(
                    repository.toString(),
                    null,
                    "--model-repository must be a directory holding <model>/config.yaml folders");
        }
        Map<String, String> configs = new TreeMap<>();
        long total = 0;
        try (Stream<Path> models = Files.list(repository)) {
            for (Path dir : models.filter(Files::isDirectory).sorted().toList()) {
                Path config = dir.resolve("config.yaml");
                if (Files.isRegularFile(config)) {
                    String model = dir.getFileName().toString();
                    if (!model.matches("[a-zA-Z0-9._-]+")) {
                        throw new IllegalArgumentException("model folder name '" + model + "' cannot be a "
                                + "ConfigMap key: use letters, digits, '.', '_' or '-'");
                    }
                    String text = Files.readString(config, StandardCharsets.UTF_8);
                    total += text.getBytes(StandardCharsets.UTF_8).length;
                    configs.put(model, text);
                }
            }
        }
        if (total > MAX_TOTAL_BYTES) {
            throw new IllegalArgumentException("the models' config.yaml files total " + total + " bytes; a "
                    + "ConfigMap holds at most 1 MiB (limit used: " + MAX_TOTAL_BYTES + ")");
        }
        return configs;
    }
}
