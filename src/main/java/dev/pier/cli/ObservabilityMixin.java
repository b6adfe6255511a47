package dev.pier.cli;

import dev.pier.server.CorsOptions;
import dev.pier.tracing.TracingOptions;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options of {@code pier serve} for browsers and monitoring systems: CORS and trace export. Kept apart from
 * {@link ServeCommand} so that these options live in one place.
 */
public final class ObservabilityMixin {
    @Option(
            names = "--cors-allowed-origins",
            split = ",",
            paramLabel = "ORIGIN",
            description =
                    "Web pages (origins, e.g. https://app.example.com) that may call the REST API from a browser; "
                            + "* = any. Default: none (CORS off).")
    List<String> corsOrigins = List.of();

    @Option(
            names = "--cors-allowed-methods",
            split = ",",
            paramLabel = "METHOD",
            description = "Methods such pages may use (default GET,POST,HEAD).")
    List<String> corsMethods;

    @Option(
            names = "--cors-allowed-headers",
            split = ",",
            paramLabel = "HEADER",
            description = "Request headers such pages may send (default Content-Type, Authorization, "
                    + "Inference-Header-Content-Length, Pier-Timeout-Ms, traceparent, tracestate).")
    List<String> corsHeaders;

    @Option(
            names = "--otlp-endpoint",
            paramLabel = "URL",
            description =
                    "Export request traces (OpenTelemetry OTLP) to this collector, e.g. http://otel-collector:4318 "
                            + "(HTTP/protobuf) or http://otel-collector:4317 with --otlp-protocol grpc. The standard OTEL_* "
                            + "variables apply too (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_SERVICE_NAME, "
                            + "OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG, ...). Default: off.")
    String otlpEndpoint;

    @Option(
            names = "--otlp-protocol",
            paramLabel = "PROTOCOL",
            description =
                    "OTLP transport: http/protobuf or grpc. Default: OTEL_EXPORTER_OTLP_PROTOCOL, else http/protobuf.")
    String otlpProtocol;

    @Option(
            names = "--public-docs",
            description =
                    "Serve the API description (/v2/openapi.json and the /v2/docs page) without the bearer token "
                            + "when --auth-token-file is set. Default: the docs need the token like every other non-health path.")
    boolean publicDocs;

    TracingOptions tracing() {
        return TracingOptions.defaults().withOtlpEndpoint(otlpEndpoint).withOtlpProtocol(otlpProtocol);
    }

    CorsOptions cors() {
        CorsOptions cors = CorsOptions.none().withOrigins(corsOrigins);
        if (corsMethods != null) {
            cors = cors.withMethods(new LinkedHashSet<>(corsMethods));
        }
        if (corsHeaders != null) {
            cors = cors.withHeaders(new LinkedHashSet<>(corsHeaders));
        }
        return cors;
    }
}
