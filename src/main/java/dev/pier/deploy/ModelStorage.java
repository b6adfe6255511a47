package dev.pier.deploy;

import java.util.Objects;

/**
 * Where the pods find the model repository: baked into the image at {@link PierEndpoints#MODELS_DIR}, or a
 * PersistentVolumeClaim mounted read-only there (models updated without rebuilding the image). Immutable.
 */
public sealed interface ModelStorage {

    /** Models are layers of the image itself ({@code pier package}); nothing to mount. */
    record Baked() implements ModelStorage {}

    /** Models come from an existing PersistentVolumeClaim, mounted read-only (ReadOnlyMany or ReadWriteMany). */
    record Volume(String claimName) implements ModelStorage {
        public Volume {
            Objects.requireNonNull(claimName, "claimName");
            if (!claimName.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
                throw new IllegalArgumentException("models volume claim name must be a DNS-1123 label (lower-case "
                        + "letters, digits, '-'), got '" + claimName + "'");
            }
        }
    }

    /** Parses the CLI form: {@code image} or {@code pvc:CLAIM}. */
    static ModelStorage parse(String spec) {
        if (spec == null || spec.equals("image")) {
            return new Baked();
        }
        if (spec.startsWith("pvc:")) {
            return new Volume(spec.substring(4));
        }
        throw new IllegalArgumentException("--models must be 'image' (baked into the image) or 'pvc:CLAIM' "
                + "(a PersistentVolumeClaim), got '" + spec + "'");
    }
}
