package dev.pier.repository;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Serves one model file under a chosen name as version 1, without a repository folder
 * ({@code pier serve model.onnx --name mnist}). Labels files named by a config are looked up next to the file.
 */
public final class SingleModelSource implements ModelSource {
    private final Path modelFile;
    private final String name;
    private final ModelConfig config;

    public SingleModelSource(Path modelFile, String name, ModelConfig config) {
        this.modelFile = modelFile.toAbsolutePath().normalize();
        this.name = ModelNames.requireValid(name);
        this.config = config;
    }

    public SingleModelSource(Path modelFile, String name) {
        this(modelFile, name, ModelConfig.defaults(name));
    }

    /** The default model name for a file: its name without the extension ({@code mnist.onnx} → {@code mnist}). */
    public static String defaultName(Path modelFile) {
        String file = modelFile.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    @Override
    public List<SourcedModel> scan() {
        if (!Files.isRegularFile(modelFile)) {
            return List.of(
                    new SourcedModel.Broken(name, "model file " + modelFile + " does not exist or is not a file"));
        }
        return List.of(new SourcedModel.Aspired(
                name, config, modelFile.getParent(), List.of(new AspiredVersion(1, modelFile))));
    }
}
