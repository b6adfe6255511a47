/**
 * Request tracing with OpenTelemetry: W3C {@code traceparent}/{@code tracestate} read on both ports, one server
 * span per inference request with children for decode, queue, batch execution and encode, export over OTLP/HTTP
 * when configured ({@code --otlp-endpoint} or the standard {@code OTEL_*} variables), and the trace id in the
 * request's log lines and prediction-log records. Off by default; off costs one header lookup per request.
 */
package dev.pier.tracing;
