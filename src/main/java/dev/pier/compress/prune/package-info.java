/**
 * Pruning: unstructured magnitude pruning (per-layer sparsity targets or Han et al.'s threshold, a quality
 * factor × the layer's weight standard deviation), masked retraining, iterative prune → retrain cycles on a
 * sparsity ramp ({@link dev.pier.compress.prune.IterativePruning}, {@link dev.pier.compress.prune.PruneSchedule}),
 * and structured pruning that removes whole hidden neurons and shrinks the layers on both sides.
 */
package dev.pier.compress.prune;
