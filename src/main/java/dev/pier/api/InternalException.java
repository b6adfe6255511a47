package dev.pier.api;

/** A failure of the server or runtime, not of the request (HTTP 500, gRPC INTERNAL). */
public final class InternalException extends PierException {
    public InternalException(String message) {
        super(message);
    }

    public InternalException(String message, Throwable cause) {
        super(message, cause);
    }
}
