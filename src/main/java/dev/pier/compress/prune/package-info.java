/**
 * Pruning: unstructured magnitude pruning (per-layer sparsity target or Han et al.'s threshold, a quality
 * factor × the layer's weight standard deviation) and structured pruning that removes whole hidden neurons
 * and shrinks the layers on both sides.
 */
package dev.pier.compress.prune;
