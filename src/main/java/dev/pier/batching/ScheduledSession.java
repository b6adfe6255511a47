package dev.pier.batching;

import dev.pier.api.Tensor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The contract between the serving core and a model version: asynchronous submit. Whatever runs the version
 * (the {@link Batcher}, merging requests or running them one by one) queues the request in a bounded queue and
 * completes the future on its own threads; the caller's thread never waits for other requests. A call predicted
 * to be tiny may run on the caller's thread instead of being handed off ({@link Batcher#INLINE_MAX_NANOS}): then
 * the future is complete when {@link #submit} returns.
 *
 * <p>Thread-safe. Owns the runtime session it schedules: {@link #close()} runs what is queued, then frees it.
 */
public interface ScheduledSession extends AutoCloseable {

    /**
     * Queues one request; never blocks. The future completes with its outputs, or fails with
     * {@link dev.pier.api.UnavailableException} at once when the queue is full or the session is closing,
     * {@link dev.pier.api.DeadlineExceededException} when {@code deadlineNanos} (a {@link System#nanoTime()} value,
     * {@link Long#MAX_VALUE} for none) passes before it runs, or the runtime's error. Cancelling the future takes a
     * request that has not started out of the queue.
     */
    CompletableFuture<Batched> submit(Map<String, Tensor> inputs, List<String> outputNames, long deadlineNanos);

    /** The symbolic dimension names of the inputs, for validation (see {@link dev.pier.runtime.ModelSession#dimensionNames()}). */
    default Map<String, List<String>> dimensionNames() {
        return Map.of();
    }

    /** Requests waiting to run. */
    int queueDepth();

    @Override
    void close();
}
