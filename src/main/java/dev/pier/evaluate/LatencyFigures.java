package dev.pier.evaluate;

/**
 * Per-call latency through ONNX Runtime and the engine wrapper (tensor conversion included, input
 * preparation excluded), in milliseconds.
 *
 * @param p50Ms     median
 * @param p99Ms     99th percentile (numpy's linear interpolation)
 * @param runs      timed calls
 * @param batchSize examples per call: 1 unless the model fixes its batch size
 */
public record LatencyFigures(double p50Ms, double p99Ms, int runs, int batchSize) {}
