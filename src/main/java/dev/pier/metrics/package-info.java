/**
 * Serving metrics in Prometheus text format, built on Micrometer: Triton's {@code nv_inference_*} series,
 * latency and batch-size histograms, pending-request gauges and JVM metrics. Fed by the serving core through
 * {@link dev.pier.serving.InferenceObserver}; the REST layer only sees a scrape function.
 */
package dev.pier.metrics;
