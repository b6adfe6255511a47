package dev.pier.serving;

import dev.pier.api.InferRequest;

/**
 * What the serving core reports about inference, for metrics. Called on worker threads, concurrently:
 * implementations must be thread-safe and fast. {@code version} is -1 when the request failed before a
 * version was chosen (unknown model, no version available).
 */
public interface InferenceObserver {
    InferenceObserver NONE = new InferenceObserver() {};

    /**
     * One request finished.
     *
     * @param rows         inferences it asked for (its batch dimension, 1 for unbatched models)
     * @param queueNanos   time spent queued before its runtime call started (0 when it never ran)
     * @param computeNanos time of the runtime call that served it (0 when it never ran)
     * @param totalNanos   time from arrival in the core to completion
     */
    default void onRequest(
            String model,
            long version,
            boolean success,
            int rows,
            long queueNanos,
            long computeNanos,
            long totalNanos) {}

    /**
     * The same request as the {@link #onRequest} just before it, when it had been pinned to a version, with the
     * request itself: for whoever must tie the timings to that one request (a trace). Called on the answering
     * thread before the request's future completes.
     */
    default void onAnswered(InferRequest request, long version, long queueNanos, long computeNanos) {}

    /** One runtime call ran, serving {@code batchRows} rows (one or more requests). */
    default void onExecution(String model, long version, int batchRows) {}

    /** Requests queued or running for a model version changed by {@code delta}. */
    default void onPending(String model, long version, int delta) {}
}
