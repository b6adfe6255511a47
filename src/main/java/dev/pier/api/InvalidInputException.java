package dev.pier.api;

/** The request is malformed or does not match the model (HTTP 400, gRPC INVALID_ARGUMENT). */
public final class InvalidInputException extends PierException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
