package dev.pier.batching;

/**
 * Server-wide defaults for models whose config does not say: executions at once per version (when there is
 * no {@code instance_group}) and the queue bound (when {@code max_queue_size} is absent or 0). Immutable.
 */
public record SchedulingDefaults(int instances, int maxQueueSize) {
    public SchedulingDefaults {
        if (instances < 1 || maxQueueSize < 1) {
            throw new IllegalArgumentException(
                    "instances and maxQueueSize must be >= 1, got " + instances + ", " + maxQueueSize);
        }
    }

    /** One execution per processor, 256 queued requests. */
    public static SchedulingDefaults ofMachine() {
        return new SchedulingDefaults(
                Math.max(1, Runtime.getRuntime().availableProcessors()), BatchingOptions.DEFAULT_QUEUE_SIZE);
    }
}
