package dev.pier.monitor;

import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;

/**
 * Something that watches answered inferences: the prediction log, drift detection. Called once per successful
 * request, on the thread that completed it (a serving worker), concurrently, just before the protocol encodes
 * the answer, so that a client holding a response can already give feedback on it.
 * Implementations must be thread-safe and must not block: hand the work to a bounded queue of their own and
 * drop (and count) what does not fit. An exception thrown here is logged and never reaches the client.
 */
public interface InferenceTap {

    /**
     * @param request  the request as served, with its id set (never null)
     * @param response its answer; {@code response.version()} is the version that served it
     */
    void onInference(InferRequest request, InferResponse response);
}
