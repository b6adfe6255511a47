package dev.pier.monitor.profile;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pier.io.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes {@code profile.json}. By convention the profile of a model lives in the model file's
 * folder ({@link #defaultPath}); in a Triton-layout repository that is {@code <repo>/<model>/<version>/},
 * where the server looks for it. Stateless and thread-safe.
 */
public final class Profiles {
    public static final String FILE_NAME = "profile.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Profiles() {
    }

    /** {@code profile.json} in the model file's folder. */
    public static Path defaultPath(Path modelFile) {
        Path dir = modelFile.toAbsolutePath().getParent();
        return dir.resolve(FILE_NAME);
    }

    /** Writes atomically (temp file + move); the model file itself is never a valid target. */
    public static void write(ReferenceProfile profile, Path file) {
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(profile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write profile " + file + ": " + e.getMessage(), e);
        }
    }

    public static ReferenceProfile read(Path file) {
        ReferenceProfile p;
        try {
            p = JSON.readValue(Files.readAllBytes(file), ReferenceProfile.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read profile " + file + ": " + e.getMessage(), e);
        }
        if (p.formatVersion() < 1 || p.formatVersion() > ReferenceProfile.FORMAT_VERSION) {
            throw new IllegalArgumentException("profile " + file + " has format version " + p.formatVersion()
                    + "; this Pier reads versions 1.." + ReferenceProfile.FORMAT_VERSION);
        }
        if (p.features() == null || p.predictions() == null || p.input() == null
                || p.stats().size() != new FeatureExtractor(p.features()).names().size()) {
            throw new IllegalArgumentException("profile " + file + " is incomplete: it needs input, features, "
                    + "predictions and one stats entry per feature");
        }
        return p;
    }
}
