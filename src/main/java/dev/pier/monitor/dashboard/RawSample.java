package dev.pier.monitor.dashboard;

/**
 * What the registry said about one model version at one instant: the cumulative series (they only grow)
 * and the pending count. Two of them, an interval apart, give that interval's figures
 * ({@link SnapshotMath#between}). Immutable.
 *
 * @param nanos      {@link System#nanoTime()} when read
 * @param success    {@code nv_inference_request_success}
 * @param failure    {@code nv_inference_request_failure}
 * @param inferences {@code nv_inference_count} (batch rows)
 * @param pending    {@code pier_inference_pending_requests} (queued or running now)
 * @param latency    {@code pier_inference_request_duration}, bounds in seconds
 * @param batch      {@code pier_inference_batch_size}, bounds in rows
 */
public record RawSample(
        long nanos,
        double success,
        double failure,
        double inferences,
        double pending,
        Histogram latency,
        Histogram batch) {

    /** A series that did not exist yet: every count zero. */
    public static RawSample empty(long nanos) {
        return new RawSample(nanos, 0, 0, 0, 0, Histogram.EMPTY, Histogram.EMPTY);
    }
}
