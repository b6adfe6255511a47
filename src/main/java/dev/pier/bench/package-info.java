/**
 * Load generation and measurement: the in-process ONNX Runtime baseline ({@link dev.pier.bench.InProcessBenchmark})
 * and {@code pier bench --url}, which sweeps a running server over concurrency levels (closed loop) or request
 * rates (open loop, latency from the scheduled send time) with pre-encoded requests
 * ({@link dev.pier.bench.HttpBodies}, {@link dev.pier.bench.GrpcTransport}), reads Triton-named server metrics
 * ({@link dev.pier.bench.ServerMetrics}) and reports a table, JSON and HTML with the capacity within a p99 SLO
 * ({@link dev.pier.bench.Sweep}, {@link dev.pier.bench.SweepResult}).
 */
package dev.pier.bench;
