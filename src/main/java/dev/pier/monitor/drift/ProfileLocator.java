package dev.pier.monitor.drift;

import dev.pier.onnx.OnnxModelReader;
import dev.pier.onnx.OnnxValueInfo;
import dev.pier.profile.Profiles;
import dev.pier.profile.ReferenceProfile;
import dev.pier.repository.AspiredVersion;
import dev.pier.repository.ModelSource;
import dev.pier.repository.SourcedModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Finds the reference profile of a served model version, if it has one. Implementations are thread-safe. */
@FunctionalInterface
public interface ProfileLocator {

    Optional<Path> find(String model, long version);

    /**
     * Profiles beside the version's model file ({@link Profiles#find}: {@code <stem>.profile.json}, else the
     * repository convention {@code <repo>/<model>/<version>/profile.json}). A profile built for another model is
     * refused with an {@link IllegalArgumentException} naming both ({@link Profiles#requireMatch}). Scans
     * {@code source} on each call; the monitor calls it once per version it first sees.
     */
    static ProfileLocator beside(ModelSource source) {
        return (model, version) -> {
            for (SourcedModel m : source.scan()) {
                if (m instanceof SourcedModel.Aspired a && a.name().equals(model)) {
                    for (AspiredVersion v : a.versions()) {
                        if (v.version() == version) {
                            Optional<Path> p = Profiles.find(v.modelFile());
                            p.ifPresent(file -> requireMatch(file, v.modelFile()));
                            return p;
                        }
                    }
                }
            }
            return Optional.empty();
        };
    }

    private static void requireMatch(Path profileFile, Path modelFile) {
        ReferenceProfile profile = Profiles.read(profileFile);
        String input = null;
        long[] dims = null;
        if (profile.modelSha256() == null) { // an older profile: at least the input must be the one it was built on
            List<OnnxValueInfo> inputs = OnnxModelReader.summarize(modelFile).inputs();
            if (!inputs.isEmpty()) {
                input = inputs.getFirst().name();
                dims = inputs.getFirst().shape().toArray();
            }
        }
        Profiles.requireMatch(profile, profileFile, modelFile, input, dims);
    }
}
