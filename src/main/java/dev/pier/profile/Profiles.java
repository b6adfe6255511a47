package dev.pier.profile;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pier.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Reads and writes reference profiles. The profile of {@code NAME.onnx} is {@code NAME.profile.json} beside it
 * ({@link #defaultPath}), like {@code NAME.train.json}, so two models in one folder keep their own; a
 * {@code profile.json} beside the model is still read (the Triton-layout repository convention,
 * {@code <repo>/<model>/<version>/profile.json}). A profile records its model's SHA-256, and one that belongs to
 * another model is refused ({@link #requireMatch}). Stateless and thread-safe.
 */
public final class Profiles {
    /** The shared name still read beside a model ({@code <repo>/<model>/<version>/profile.json}). */
    public static final String FILE_NAME = "profile.json";
    /** What follows a model file's stem in the name of its own profile. */
    public static final String SUFFIX = ".profile.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Profiles() {}

    /** {@code <stem>.profile.json} in the model file's folder: where profiles are written. */
    public static Path defaultPath(Path modelFile) {
        Path abs = modelFile.toAbsolutePath();
        String name = abs.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return abs.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + SUFFIX);
    }

    /** The profile of a model file: its own {@code <stem>.profile.json}, else a {@code profile.json} beside it. */
    public static Optional<Path> find(Path modelFile) {
        Path own = defaultPath(modelFile);
        if (Files.isRegularFile(own)) {
            return Optional.of(own);
        }
        Path shared = own.resolveSibling(FILE_NAME);
        return Files.isRegularFile(shared) ? Optional.of(shared) : Optional.empty();
    }

    /** SHA-256 of a file's bytes, lower-case hex. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " to hash it: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Refuses a profile built for another model: by the recorded SHA-256 when the profile has one, else by the
     * model input it was built on (name and fixed dimensions). The message names the profile and both models.
     *
     * @param modelInput the served model's input as {@code name} and dims ({@code -1} for dynamic ones)
     */
    public static void requireMatch(
            ReferenceProfile profile, Path profileFile, Path modelFile, String modelInput, long[] modelInputDims) {
        if (profile.modelSha256() != null) {
            String actual = sha256(modelFile);
            if (!actual.equalsIgnoreCase(profile.modelSha256())) {
                throw new IllegalArgumentException("profile " + profileFile + " was built for model " + profile.model()
                        + " (sha256 " + abbreviate(profile.modelSha256()) + "), not for " + modelFile + " (sha256 "
                        + abbreviate(actual) + "); write this model's own profile with pier evaluate --model "
                        + modelFile);
            }
            return;
        }
        if (modelInput != null
                && !(profile.input().name().equals(modelInput)
                        && compatible(profile.input().shape(), modelInputDims))) {
            throw new IllegalArgumentException(
                    "profile " + profileFile + " was built for model " + profile.model() + " with input "
                            + profile.input().name() + " "
                            + Arrays.toString(profile.input().shape()) + ", but " + modelFile
                            + " takes " + modelInput + " " + Arrays.toString(modelInputDims)
                            + "; write this model's own profile with "
                            + "pier evaluate --model " + modelFile);
        }
    }

    private static boolean compatible(long[] a, long[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] >= 0 && b[i] >= 0 && a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String hex) {
        return hex.length() > 12 ? hex.substring(0, 12) + "…" : hex;
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
        if (p.features() == null
                || p.predictions() == null
                || p.input() == null
                || p.stats().size()
                        != new FeatureExtractor(p.features()).names().size()) {
            throw new IllegalArgumentException("profile " + file + " is incomplete: it needs input, features, "
                    + "predictions and one stats entry per feature");
        }
        return p;
    }
}
