package dev.pier.monitor.drift;

import dev.pier.monitor.profile.Profiles;
import dev.pier.repository.AspiredVersion;
import dev.pier.repository.ModelSource;
import dev.pier.repository.SourcedModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the reference profile of a served model version, if it has one. Implementations are thread-safe. */
@FunctionalInterface
public interface ProfileLocator {

    Optional<Path> find(String model, long version);

    /**
     * Profiles by the repository convention: {@code profile.json} in the folder of the version's model file
     * ({@code <repo>/<model>/<version>/profile.json}, or beside a single served {@code MODEL.onnx}). Scans
     * {@code source} on each call; the monitor calls it once per version it first sees.
     */
    static ProfileLocator beside(ModelSource source) {
        return (model, version) -> {
            for (SourcedModel m : source.scan()) {
                if (m instanceof SourcedModel.Aspired a && a.name().equals(model)) {
                    for (AspiredVersion v : a.versions()) {
                        if (v.version() == version) {
                            Path p = Profiles.defaultPath(v.modelFile());
                            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
                        }
                    }
                }
            }
            return Optional.empty();
        };
    }
}
