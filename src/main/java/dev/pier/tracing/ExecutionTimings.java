package dev.pier.tracing;

import dev.pier.api.InferRequest;
import dev.pier.serving.InferenceObserver;

/**
 * An {@link InferenceObserver} in front of another (the metrics) that also hands the queue and compute time of a
 * traced request to that request's trace. The trace puts a {@link Slot} among the request's parameters
 * ({@value #PARAMETER}) and the core fills it on the answering thread before it completes the request's future,
 * so the trace reads it whichever thread its completion callback runs on. (A thread-local here once lost the
 * timings whenever the core answered before the trace had registered its callback: the callback then ran on the
 * registering thread, and the trace showed one "infer" stage instead of queue and batch execution.)
 */
public final class ExecutionTimings implements InferenceObserver {
    /** The request parameter that carries a traced request's {@link Slot}. */
    public static final String PARAMETER = "pier.execution_timings";

    /** What the core measured for one request. */
    record Timing(long version, long queueNanos, long computeNanos) {}

    /**
     * One traced request's timings: written once by the core (a shadow copy of the request, answered later,
     * carries the same slot and is not its answer), read by the trace after the request's future completed.
     */
    static final class Slot {
        private volatile Timing timing;

        Timing timing() {
            return timing;
        }

        private synchronized void offer(Timing t) {
            if (timing == null) {
                timing = t;
            }
        }
    }

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
        next.onRequest(model, version, success, rows, queueNanos, computeNanos, totalNanos);
    }

    @Override
    public void onAnswered(InferRequest request, long version, long queueNanos, long computeNanos) {
        if (record && request.parameters().get(PARAMETER) instanceof Slot slot) {
            slot.offer(new Timing(version, queueNanos, computeNanos));
        }
        next.onAnswered(request, version, queueNanos, computeNanos);
    }

    @Override
    public void onExecution(String model, long version, int batchRows) {
        next.onExecution(model, version, batchRows);
    }

    @Override
    public void onPending(String model, long version, int delta) {
        next.onPending(model, version, delta);
    }
}
