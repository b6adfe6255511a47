package dev.pier.repository;

import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link ModelSource} says about one model: either the versions it should serve, or why it cannot
 * serve at all (a broken config, no versions). Immutable.
 */
public sealed interface SourcedModel {

    String name();

    /**
     * The aspired versions of a model, newest first (TF Serving's "aspired versions"): those the manager
     * should load, every other version it holds should go.
     *
     * @param directory the model's folder, where {@code label_filename}s are found
     */
    record Aspired(String name, ModelConfig config, Path directory, List<AspiredVersion> versions)
            implements SourcedModel {
        public Aspired {
            ModelNames.requireValid(name);
            versions = List.copyOf(versions);
        }
    }

    /** A model that is configured but cannot serve; {@code reason} says why, for its status. */
    record Broken(String name, String reason) implements SourcedModel {}
}
