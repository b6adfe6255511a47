package dev.pier.protocol.tfserving.grpc;

import io.vertx.grpc.common.GrpcStatus;

/**
 * A TF Serving gRPC answer whose status has no counterpart in Pier's error hierarchy (FAILED_PRECONDITION for an
 * unknown signature, UNIMPLEMENTED for the tf.Example APIs), so that the status is the one TF Serving gives.
 */
final class TfStatusException extends RuntimeException {
    private final GrpcStatus status;

    TfStatusException(GrpcStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    GrpcStatus status() {
        return status;
    }
}
