/**
 * Model compression: strategies ({@link dev.pier.compress.CompressionStrategy}) rewrite an ONNX graph, and
 * {@link dev.pier.compress.CompressionService} writes the result atomically and measures the model before
 * and after (size, parameters, non-zero parameters, accuracy, macro F1, latency, throughput). Sub-packages
 * hold one strategy each.
 */
package dev.pier.compress;
