package dev.pier.tracing;

import dev.pier.serving.InferenceObserver;

/**
 * An {@link InferenceObserver} in front of another (the metrics) that also leaves the queue and compute time
 * of the request just answered with the thread that answers it: the serving core reports a request, then
 * completes its future on the same thread, so {@link TracingService}'s completion callback picks the timings
 * up there with {@link #take}. Thread-confined state only.
 */
public final class ExecutionTimings implements InferenceObserver {
    /** What the core measured for one request. */
    record Timing(String model, long version, long queueNanos, long computeNanos) {}

    private static final ThreadLocal<Timing> LAST = new ThreadLocal<>();
    private final InferenceObserver next;
    private final boolean record;

    /** @param record false when no span is ever built: then this only forwards */
    public ExecutionTimings(InferenceObserver next, boolean record) {
        this.next = next;
        this.record = record;
    }

    @Override
    public void onRequest(
            String model,
            long version,
            boolean success,
            int rows,
            long queueNanos,
            long computeNanos,
            long totalNanos) {
        if (record) {
            LAST.set(new Timing(model, version, queueNanos, computeNanos));
        }
        next.onRequest(model, version, success, rows, queueNanos, computeNanos, totalNanos);
    }

    @Override
    public void onExecution(String model, long version, int batchRows) {
        next.onExecution(model, version, batchRows);
    }

    @Override
    public void onPending(String model, long version, int delta) {
        next.onPending(model, version, delta);
    }

    /** The timings this thread last reported for {@code model}, cleared; null when there are none. */
    static Timing take(String model) {
        Timing t = LAST.get();
        LAST.remove();
        return t != null && t.model().equals(model) ? t : null;
    }
}
