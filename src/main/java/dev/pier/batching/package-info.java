/**
 * Per-model request scheduling: a bounded queue, a fixed number of concurrent executions (Triton's
 * {@code instance_group.count}), end-to-end deadlines that count queue time, and dynamic batching (Triton's
 * {@code dynamic_batching}) that merges compatible requests along the batch dimension into one runtime call.
 * {@link dev.pier.batching.Batcher} decorates a {@link dev.pier.runtime.ModelSession}; the decision when to
 * run a batch is the pure {@link dev.pier.batching.FlushPolicy}.
 */
package dev.pier.batching;
