package dev.pier.api;

/**
 * Root of Pier's typed errors. Each subtype is one failure class that the protocol layer maps to a wire
 * status in one place (HTTP status, gRPC status, CLI exit code). Messages are written for the client:
 * they name what was wrong, what was expected and what was sent.
 */
public abstract sealed class PierException extends RuntimeException
        permits InvalidInputException,
                ModelNotFoundException,
                UnavailableException,
                DeadlineExceededException,
                ResourceExhaustedException,
                InternalException {

    protected PierException(String message) {
        super(message);
    }

    protected PierException(String message, Throwable cause) {
        super(message, cause);
    }
}
