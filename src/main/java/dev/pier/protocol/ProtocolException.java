package dev.pier.protocol;

/**
 * A client error that belongs to the transport rather than to the model (body too large, unsupported
 * media type, wrong method): it carries its HTTP status. Immutable.
 */
public final class ProtocolException extends RuntimeException {
    private final int httpStatus;

    public ProtocolException(int httpStatus, String message) {
        super(message);
        if (httpStatus < 400 || httpStatus > 499) {
            throw new IllegalArgumentException("a protocol exception is a 4xx client error, got " + httpStatus);
        }
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
