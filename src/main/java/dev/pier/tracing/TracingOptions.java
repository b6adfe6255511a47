package dev.pier.tracing;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Whether, where and how spans are exported.
 *
 * @param otlpEndpoint the collector's base URL, e.g. {@code http://otel-collector:4318} for OTLP/HTTP (spans go
 *                     to {@code /v1/traces} under it) or {@code http://otel-collector:4317} for OTLP/gRPC; empty =
 *                     only the standard environment decides
 * @param otlpProtocol {@code http/protobuf} or {@code grpc}; empty = {@code OTEL_EXPORTER_OTLP_TRACES_PROTOCOL},
 *                     else {@code OTEL_EXPORTER_OTLP_PROTOCOL}, else {@code http/protobuf}
 * @param environment  the process environment, read for the standard {@code OTEL_*} variables
 */
public record TracingOptions(
        Optional<String> otlpEndpoint, Optional<String> otlpProtocol, Map<String, String> environment) {
    public static final String HTTP_PROTOBUF = "http/protobuf";
    public static final String GRPC = "grpc";

    public TracingOptions {
        otlpEndpoint.ifPresent(TracingOptions::checkEndpoint);
        otlpProtocol = otlpProtocol.map(p -> checkProtocol("--otlp-protocol", p));
        environment = Map.copyOf(environment);
    }

    /** Export off unless the environment turns it on. */
    public static TracingOptions defaults() {
        return new TracingOptions(Optional.empty(), Optional.empty(), System.getenv());
    }

    public TracingOptions withOtlpEndpoint(String url) {
        return new TracingOptions(Optional.ofNullable(url), otlpProtocol, environment);
    }

    public TracingOptions withOtlpProtocol(String protocol) {
        return new TracingOptions(otlpEndpoint, Optional.ofNullable(protocol), environment);
    }

    /** The OTLP transport spans go over: the option, else the standard variables, else OTLP/HTTP. */
    public String protocol() {
        return otlpProtocol.orElseGet(() -> {
            String name = environment.containsKey("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
                    ? "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"
                    : "OTEL_EXPORTER_OTLP_PROTOCOL";
            String value = environment.get(name);
            return value == null ? HTTP_PROTOBUF : checkProtocol(name, value);
        });
    }

    /**
     * Spans are exported when an endpoint is given here, or when the environment names an exporter or an OTLP
     * endpoint ({@code OTEL_TRACES_EXPORTER} other than none, {@code OTEL_EXPORTER_OTLP_ENDPOINT},
     * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}), and {@code OTEL_SDK_DISABLED} is not true.
     */
    public boolean exporting() {
        if ("true".equalsIgnoreCase(environment.get("OTEL_SDK_DISABLED"))) {
            return false;
        }
        String exporter = environment.get("OTEL_TRACES_EXPORTER");
        if (exporter != null && exporter.equalsIgnoreCase("none")) {
            return otlpEndpoint.isPresent();
        }
        return otlpEndpoint.isPresent()
                || exporter != null
                || environment.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT")
                || environment.containsKey("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    }

    private static String checkProtocol(String source, String value) {
        String p = value.trim().toLowerCase(Locale.ROOT);
        if (!p.equals(HTTP_PROTOBUF) && !p.equals(GRPC)) {
            throw new IllegalArgumentException(source + " '" + value
                    + "' is not an OTLP protocol Pier exports with; expected " + GRPC + " or " + HTTP_PROTOBUF);
        }
        return p;
    }

    private static void checkEndpoint(String url) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(
                    "--otlp-endpoint '" + url + "' is not a URL; expected e.g. http://otel-collector:4318");
        }
        if (uri.getScheme() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "--otlp-endpoint '" + url + "' is not an http(s) URL; expected e.g. http://otel-collector:4318");
        }
    }
}
