package dev.pier.api;

/** No such model or version (HTTP 404, gRPC NOT_FOUND). */
public final class ModelNotFoundException extends PierException {
    public ModelNotFoundException(String message) {
        super(message);
    }

    public ModelNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
