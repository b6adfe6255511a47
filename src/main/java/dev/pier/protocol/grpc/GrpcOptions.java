package dev.pier.protocol.grpc;

/**
 * Options of the gRPC front-end.
 *
 * @param maxMessageBytes largest request message accepted (default 64 MiB; Vert.x's own default is far
 *                        smaller than a batch of images)
 * @param serverVersion   the version reported by ServerMetadata (default "0.1.0")
 */
public record GrpcOptions(long maxMessageBytes, String serverVersion) {
    public static final long DEFAULT_MAX_MESSAGE_BYTES = 64L * 1024 * 1024;

    public GrpcOptions {
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be positive, got " + maxMessageBytes);
        }
        if (serverVersion == null || serverVersion.isBlank()) {
            throw new IllegalArgumentException("serverVersion must not be empty");
        }
    }

    public static GrpcOptions defaults() {
        return new GrpcOptions(DEFAULT_MAX_MESSAGE_BYTES, "0.1.0");
    }
}
