package dev.pier.api;

/** The model or server cannot take the request now: not loaded yet, queue full, draining (HTTP 503, gRPC UNAVAILABLE). */
public final class UnavailableException extends PierException {
    public UnavailableException(String message) {
        super(message);
    }

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
