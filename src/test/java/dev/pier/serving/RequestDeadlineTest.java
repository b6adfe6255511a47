package dev.pier.serving;

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

class RequestDeadlineTest {
    private static InferRequest request(Map<String, Object> parameters) {
        return new InferRequest(
                "r", "m", OptionalLong.empty(), List.of(Tensor.ofFloats("x", Shape.of(1), 1)), List.of(), parameters);
    }

    @Test
    void timeoutParameterIsMicrosecondsFromArrival() {
        assertThat(RequestDeadline.of(request(Map.of("timeout", 1500)), 1_000_000L, 0))
                .isEqualTo(1_000_000L + 1_500_000L);
        assertThat(RequestDeadline.of(request(Map.of("timeout", "20")), 0, 0)).isEqualTo(20_000L);
    }

    @Test
    void serverDefaultAppliesOnlyWithoutAParameter() {
        assertThat(RequestDeadline.of(request(Map.of()), 5, 3)).isEqualTo(5 + 3_000_000L);
        assertThat(RequestDeadline.of(request(Map.of()), 5, 0)).isEqualTo(RequestDeadline.NONE);
        assertThat(RequestDeadline.of(request(Map.of("timeout", 0)), 5, 3)).isEqualTo(RequestDeadline.NONE);
    }

    @Test
    void badTimeoutIsAClientError() {
        assertThatThrownBy(() -> RequestDeadline.of(request(Map.of("timeout", -1)), 0, 0))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'timeout'")
                .hasMessageContaining("'-1'");
        assertThatThrownBy(() -> RequestDeadline.of(request(Map.of("timeout", 1.5)), 0, 0))
                .isInstanceOf(InvalidInputException.class);
    }
}
