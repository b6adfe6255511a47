package dev.pier.monitor.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The window of remembered predictions: bounded, newest kept, classes read from scores or class ids. */
class RecentPredictionsTest {

    private static void answer(RecentPredictions recent, String id, Tensor output) {
        recent.onInference(
                new InferRequest(id, "m", OptionalLong.empty(), List.of(), List.of(), Map.of()),
                new InferResponse(id, "m", 2, List.of(output), Map.of()));
    }

    @Test
    void keepsTheLastNAndReadsClassesFromScoresOrIds() {
        RecentPredictions recent = new RecentPredictions(3);
        answer(recent, "a", Tensor.ofFloats("p", Shape.of(2, 3), 0.1f, 0.7f, 0.2f, 0.5f, 0.2f, 0.3f));
        answer(recent, "b", Tensor.ofLongs("label", Shape.of(2), 4, 9));
        answer(recent, "c", Tensor.ofDoubles("p", Shape.of(3), 0.1, 0.2, 0.7));
        answer(recent, "not-a-classifier", Tensor.ofFloats("y", Shape.of(2, 1), 1f, 2f));
        assertThat(recent.find("a").orElseThrow().classes()).containsExactly(1, 0);
        assertThat(recent.find("b").orElseThrow().classes()).containsExactly(4, 9);
        assertThat(recent.find("c").orElseThrow().classes()).containsExactly(2);
        assertThat(recent.find("c").orElseThrow().version()).isEqualTo(2);
        assertThat(recent.find("not-a-classifier")).isEmpty();

        answer(recent, "a", Tensor.ofInts("label", Shape.of(1), 5)); // a client reusing an id: the newer answer
        answer(recent, "d", Tensor.ofInts("label", Shape.of(1), 6)); // evicts the first "a" and then "b"
        assertThat(recent.find("b")).isEmpty();
        assertThat(recent.find("a").orElseThrow().classes()).containsExactly(5);
        assertThat(recent.find("d")).isPresent();
        answer(recent, "e", Tensor.ofInts("label", Shape.of(1), 7));
        assertThat(recent.find("c")).isEmpty();
        assertThat(recent.find("a")).isPresent();
    }
}
