package dev.pier.compress;

/**
 * One column of the before/after table: what a model costs and how well it classifies. Immutable.
 *
 * @param sizeBytes   file size
 * @param parameters  stored weights (initializer elements)
 * @param nonZero     of those, the non-zero ones
 * @param accuracy    accuracy on the evaluation data
 * @param f1Macro     macro-averaged F1 on the evaluation data
 * @param p50Ms       batch-1 latency median, milliseconds
 * @param p99Ms       batch-1 latency 99th percentile, milliseconds
 * @param throughput  images per second in the batched pass
 */
public record ModelFigures(
        long sizeBytes,
        long parameters,
        long nonZero,
        double accuracy,
        double f1Macro,
        double p50Ms,
        double p99Ms,
        double throughput) {}
