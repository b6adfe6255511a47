package dev.pier.repository;

import java.nio.file.Path;

/**
 * One version a model should serve: its number and its model file. The file may turn out to be missing or
 * broken; finding that out is the loader's job, and it shows in that version's status.
 */
public record AspiredVersion(long version, Path modelFile) {
    public AspiredVersion {
        if (version < 1) {
            throw new IllegalArgumentException("model versions are >= 1, got " + version);
        }
    }
}
