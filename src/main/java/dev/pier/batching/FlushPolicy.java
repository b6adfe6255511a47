package dev.pier.batching;

/**
 * When to run the batch at the head of a model's queue: a pure function of the queue's state, so it is
 * tested without threads or clocks. Follows Triton's dynamic batcher: run at once when the batch is full or
 * has reached a preferred size, otherwise wait until the oldest request has waited
 * {@code max_queue_delay_microseconds}.
 */
public final class FlushPolicy {
    private FlushPolicy() {}

    /** What the scheduler should do now. */
    public sealed interface Decision {}

    /** Run a batch of the queued compatible requests now. */
    public record Flush() implements Decision {}

    /** Wait at most this long (or until a request arrives) and decide again. */
    public record Wait(long micros) implements Decision {}

    /**
     * @param rows             rows of the requests at the head of the queue that could join one batch (capped by
     *                         {@code maxBatchSize}); 0 when the queue is empty
     * @param oldestWaitMicros how long the oldest of them has waited
     * @param closing          the scheduler is stopping: run whatever is queued
     */
    public static Decision decide(int rows, long oldestWaitMicros, boolean closing, BatchingOptions options) {
        if (rows <= 0) {
            return new Wait(Long.MAX_VALUE);
        }
        if (closing
                || !options.merges()
                || rows >= options.maxBatchSize()
                || options.preferredBatchSizes().contains(rows)
                || (!options.preferredBatchSizes().isEmpty() && rows >= maxOf(options))) {
            return new Flush();
        }
        long left = options.maxQueueDelayMicros() - oldestWaitMicros;
        return left <= 0 ? new Flush() : new Wait(left);
    }

    private static int maxOf(BatchingOptions options) {
        return options.preferredBatchSizes().stream()
                .mapToInt(Integer::intValue)
                .max()
                .orElse(Integer.MAX_VALUE);
    }
}
