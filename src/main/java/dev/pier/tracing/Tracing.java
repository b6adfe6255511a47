package dev.pier.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.Map;

/**
 * The process's tracing: the OpenTelemetry SDK configured the standard way (the {@code OTEL_*} variables via
 * the SDK's autoconfiguration, with Pier's defaults under them: OTLP over HTTP/protobuf, service name
 * {@code pier}, no metrics or logs export, the SDK's sampler ({@code OTEL_TRACES_SAMPLER}, default
 * parentbased_always_on), and {@code --otlp-endpoint}/{@code --otlp-protocol} over them), or nothing when
 * export is off. OTLP/gRPC goes through {@link VertxGrpcSenderProvider} (the JDK's HttpClient sender speaks
 * HTTP only).
 * Off, {@link #exporting()} is false and no span is ever built; W3C trace context is still read so that trace
 * ids reach the logs. Thread-safe; {@link #close()} flushes the spans still queued.
 */
public final class Tracing implements AutoCloseable {
    public static final String INSTRUMENTATION = "dev.pier";
    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;

    private Tracing(OpenTelemetrySdk sdk) {
        this.sdk = sdk;
        this.tracer = sdk == null ? OpenTelemetry.noop().getTracer(INSTRUMENTATION) : sdk.getTracer(INSTRUMENTATION);
    }

    /** Tracing through an SDK built elsewhere (tests give one with an in-memory exporter). */
    static Tracing of(OpenTelemetrySdk sdk) {
        return new Tracing(sdk);
    }

    public static Tracing off() {
        return new Tracing(null);
    }

    public static Tracing create(TracingOptions options) {
        if (!options.exporting()) {
            return off();
        }
        String protocol = options.protocol();
        Map<String, String> defaults = new HashMap<>();
        defaults.put("otel.service.name", "pier");
        defaults.put("otel.traces.exporter", "otlp");
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        defaults.put("otel.exporter.otlp.protocol", TracingOptions.HTTP_PROTOBUF);
        // Pier's spans carry at most 7 attributes; the SDK sizes every span's attribute arrays by this limit (up
        // to 16), about half of a traced request's extra allocation at the SDK's default of 128
        defaults.put("otel.span.attribute.count.limit", "8");
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults)
                .addPropertiesCustomizer(config -> {
                    Map<String, String> over = new HashMap<>();
                    options.otlpProtocol().ifPresent(p -> {
                        over.put("otel.exporter.otlp.protocol", p);
                        over.put("otel.exporter.otlp.traces.protocol", p);
                    });
                    options.otlpEndpoint().ifPresent(url -> {
                        String base = url.replaceAll("/+$", "");
                        over.put("otel.exporter.otlp.endpoint", base);
                        // OTLP/HTTP posts to a path under the base URL; gRPC calls a method on the bare address
                        over.put(
                                "otel.exporter.otlp.traces.endpoint",
                                protocol.equals(TracingOptions.GRPC) ? base : base + "/v1/traces");
                        if ("none".equalsIgnoreCase(config.getString("otel.traces.exporter", "otlp"))) {
                            over.put("otel.traces.exporter", "otlp");
                        }
                    });
                    return over;
                })
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        return new Tracing(sdk);
    }

    /** Whether spans are built and exported. */
    public boolean exporting() {
        return sdk != null;
    }

    Tracer tracer() {
        return tracer;
    }

    static TextMapPropagator propagator() {
        return W3CTraceContextPropagator.getInstance();
    }

    @Override
    public void close() {
        if (sdk != null) {
            sdk.close();
        }
    }
}
