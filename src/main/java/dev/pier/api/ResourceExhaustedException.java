package dev.pier.api;

/** A model cannot be loaded within the memory budget (HTTP 507, gRPC RESOURCE_EXHAUSTED). */
public final class ResourceExhaustedException extends PierException {
    public ResourceExhaustedException(String message) {
        super(message);
    }

    public ResourceExhaustedException(String message, Throwable cause) {
        super(message, cause);
    }
}
