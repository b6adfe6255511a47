package dev.pier.api;

/** The request's deadline passed before it could run (HTTP 504, gRPC DEADLINE_EXCEEDED). */
public final class DeadlineExceededException extends PierException {
    public DeadlineExceededException(String message) {
        super(message);
    }

    public DeadlineExceededException(String message, Throwable cause) {
        super(message, cause);
    }
}
