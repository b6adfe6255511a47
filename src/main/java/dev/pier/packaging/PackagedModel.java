package dev.pier.packaging;

import java.nio.file.Path;
import java.util.List;

/**
 * One model folder of a repository as it goes into an image: its name, numeric versions, every file (relative
 * paths, sorted) and a SHA-256 over names and contents that changes exactly when the folder's content does.
 * Immutable.
 */
public record PackagedModel(String name, Path directory, List<Long> versions, List<Path> files, String sha256) {
    public PackagedModel {
        versions = List.copyOf(versions);
        files = List.copyOf(files);
    }
}
