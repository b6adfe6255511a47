package dev.pier.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The OTLP transport: --otlp-protocol over the standard variables (traces-specific over general) over http/protobuf. */
class TracingOptionsTest {
    @Test
    void theProtocolComesFromTheOptionThenTheEnvironment() {
        assertThat(options(null, Map.of()).protocol()).isEqualTo("http/protobuf");
        assertThat(options(null, Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")).protocol())
                .isEqualTo("grpc");
        assertThat(options(
                                null,
                                Map.of(
                                        "OTEL_EXPORTER_OTLP_PROTOCOL",
                                        "grpc",
                                        "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
                                        "http/protobuf"))
                        .protocol())
                .isEqualTo("http/protobuf");
        assertThat(options("GRPC", Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"))
                        .protocol())
                .isEqualTo("grpc");
    }

    @Test
    void anUnknownProtocolIsRefusedNamingWhereItCameFrom() {
        assertThatThrownBy(() -> options("http/json", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--otlp-protocol 'http/json'")
                .hasMessageContaining("grpc or http/protobuf");
        assertThatThrownBy(() -> options(null, Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "udp"))
                        .protocol())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL 'udp'");
    }

    private static TracingOptions options(String protocol, Map<String, String> env) {
        return new TracingOptions(Optional.of("http://127.0.0.1:4317"), Optional.ofNullable(protocol), env);
    }
}
