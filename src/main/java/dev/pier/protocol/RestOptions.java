package dev.pier.protocol;

/**
 * Options of the REST front-ends.
 *
 * @param maxBodyBytes  largest request body accepted; larger ones get 413 (default 64 MiB, room for a batch
 *                      of images in JSON)
 * @param serverVersion the version reported by {@code GET /v2} (default "0.1.0")
 */
public record RestOptions(long maxBodyBytes, String serverVersion) {
    public static final long DEFAULT_MAX_BODY_BYTES = 64L * 1024 * 1024;
    public static final String DEFAULT_VERSION = "0.1.0";

    public RestOptions {
        if (maxBodyBytes <= 0 || maxBodyBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "maxBodyBytes must be in 1.." + (Integer.MAX_VALUE - 8) + ", got " + maxBodyBytes);
        }
        if (serverVersion == null || serverVersion.isBlank()) {
            throw new IllegalArgumentException("serverVersion must not be empty");
        }
    }

    public static RestOptions defaults() {
        return new RestOptions(DEFAULT_MAX_BODY_BYTES, DEFAULT_VERSION);
    }

    public RestOptions withMaxBodyBytes(long bytes) {
        return new RestOptions(bytes, serverVersion);
    }
}
