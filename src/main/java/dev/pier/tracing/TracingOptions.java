package dev.pier.tracing;

import java.util.Map;
import java.util.Optional;

/**
 * Whether and where spans are exported.
 *
 * @param otlpEndpoint OTLP/HTTP endpoint of a collector, e.g. {@code http://otel-collector:4318} (spans go to
 *                     {@code /v1/traces} under it); empty = only the standard environment decides
 * @param environment  the process environment, read for the standard {@code OTEL_*} variables
 */
public record TracingOptions(Optional<String> otlpEndpoint, Map<String, String> environment) {
    public TracingOptions {
        otlpEndpoint.ifPresent(TracingOptions::checkEndpoint);
        environment = Map.copyOf(environment);
    }

    /** Export off unless the environment turns it on. */
    public static TracingOptions defaults() {
        return new TracingOptions(Optional.empty(), System.getenv());
    }

    public TracingOptions withOtlpEndpoint(String url) {
        return new TracingOptions(Optional.ofNullable(url), environment);
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
        return otlpEndpoint.isPresent() || exporter != null || environment.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT")
                || environment.containsKey("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    }

    private static void checkEndpoint(String url) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("--otlp-endpoint '" + url + "' is not a URL; expected e.g. http://otel-collector:4318");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("--otlp-endpoint '" + url + "' is not an http(s) URL; expected e.g. http://otel-collector:4318");
        }
    }
}
