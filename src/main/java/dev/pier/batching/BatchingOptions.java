package dev.pier.batching;

import dev.pier.api.ModelSignature;
import dev.pier.api.Shape;
import dev.pier.api.TensorSpec;
import dev.pier.repository.ModelConfig;
import java.util.List;

/**
 * How one model version is scheduled. Immutable.
 *
 * @param maxBatchSize         most rows merged into one runtime call; 1 = no merging (unbatched)
 * @param preferredBatchSizes  batch sizes that are run at once when reached (Triton's
 *                             {@code preferred_batch_size}); empty: only {@code maxBatchSize} or the delay flushes
 * @param maxQueueDelayMicros  how long the oldest request may wait for others to join its batch (default 0)
 * @param maxQueueSize         requests that may wait; beyond that a request is refused at once (503)
 * @param instances            runtime calls of this version that run at once (sum of Triton's {@code instance_group.count};
 *                             without {@code instance_group}: {@link SchedulingDefaults#instances()})
 */
public record BatchingOptions(
        int maxBatchSize,
        List<Integer> preferredBatchSizes,
        long maxQueueDelayMicros,
        int maxQueueSize,
        int instances) {
    /** Queue bound used when the config sets none ({@code max_queue_size} absent or 0). */
    public static final int DEFAULT_QUEUE_SIZE = 256;

    public BatchingOptions {
        preferredBatchSizes = List.copyOf(preferredBatchSizes);
        if (maxBatchSize < 1 || maxQueueSize < 1 || instances < 1 || maxQueueDelayMicros < 0) {
            throw new IllegalArgumentException(
                    "maxBatchSize, maxQueueSize and instances must be >= 1 and the delay >= 0, got " + maxBatchSize
                            + ", " + maxQueueSize + ", " + instances + ", " + maxQueueDelayMicros);
        }
    }

    /** One request per runtime call. */
    public static BatchingOptions unbatched(int maxQueueSize, int instances) {
        return new BatchingOptions(1, List.of(), 0, maxQueueSize, instances);
    }

    public boolean merges() {
        return maxBatchSize > 1;
    }

    /**
     * The options a config asks for. Batching is on only with {@code dynamic_batching}, {@code max_batch_size > 0}
     * and a model whose inputs and outputs all have a dynamic first dimension; otherwise requests run one by one
     * (still queued, bounded and counted against the instance count).
     */
    public static BatchingOptions from(ModelConfig config, ModelSignature signature, SchedulingDefaults defaults) {
        int instances = config.instanceGroup().stream()
                .mapToInt(ModelConfig.InstanceGroup::count)
                .sum();
        // no instance_group: one execution per core (sessions use one intra-op thread, so cores are not oversubscribed)
        instances = config.instanceGroup().isEmpty() ? defaults.instances() : instances;
        int queue = config.batching()
                .map(ModelConfig.DynamicBatching::maxQueueSize)
                .filter(q -> q > 0)
                .orElse(defaults.maxQueueSize());
        if (config.batching().isEmpty() || config.maxBatchSize() <= 1 || !hasDynamicBatchDim(signature)) {
            return unbatched(queue, instances);
        }
        ModelConfig.DynamicBatching b = config.batching().get();
        return new BatchingOptions(
                config.maxBatchSize(), b.preferredBatchSize(), b.maxQueueDelayMicroseconds(), queue, instances);
    }

    static boolean hasDynamicBatchDim(ModelSignature signature) {
        return signature.inputs().stream().allMatch(BatchingOptions::dynamicFirst)
                && signature.outputs().stream().allMatch(BatchingOptions::dynamicFirst);
    }

    private static boolean dynamicFirst(TensorSpec spec) {
        return spec.shape().rank() > 0 && spec.shape().dim(0) == Shape.DYNAMIC;
    }
}
