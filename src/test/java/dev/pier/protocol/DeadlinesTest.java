package dev.pier.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.InferRequest;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class DeadlinesTest {
    private static InferRequest request(Map<String, Object> parameters) {
        return new InferRequest(
                "r", "m", OptionalLong.empty(), List.of(Tensor.ofFloats("x", Shape.of(1), 1)), List.of(), parameters);
    }

    @Test
    void headerMillisecondsBecomeTheTimeoutParameterInMicroseconds() {
        assertThat(Deadlines.fromHeader(request(Map.of()), " 250 ").parameters())
                .containsEntry("timeout", 250_000L);
        assertThat(Deadlines.fromHeader(request(Map.of("x", 1)), null).parameters())
                .isEqualTo(Map.of("x", 1));
    }

    @Test
    void aTimeoutInTheBodyWins() {
        assertThat(Deadlines.fromHeader(request(Map.of("timeout", 7)), "250").parameters())
                .containsEntry("timeout", 7);
        assertThat(Deadlines.withTimeoutMicros(request(Map.of()), 0).parameters())
                .doesNotContainKey("timeout");
    }

    @Test
    void badHeaderNamesItselfAndTheValue() {
        assertThatThrownBy(() -> Deadlines.fromHeader(request(Map.of()), "soon"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Pier-Timeout-Ms")
                .hasMessageContaining("'soon'");
        assertThatThrownBy(() -> Deadlines.fromHeader(request(Map.of()), "-5"))
                .isInstanceOf(InvalidInputException.class);
    }
}
