package dev.pier.compress.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sparsity ramp of iterative pruning and per-layer targets. */
class PruneScheduleTest {

    @Test
    void cubicRampMatchesZhuAndGupta() {
        // s_t = s_f (1 - (1 - t/n)^3) for n = 5: 1 - 0.8^3, 1 - 0.6^3, 1 - 0.4^3, 1 - 0.2^3, 1
        PruneSchedule s = PruneSchedule.cubic(5);
        double[] expected = {0.488, 0.784, 0.936, 0.992, 1.0};
        for (int t = 1; t <= 5; t++) {
            assertThat(s.fraction(t)).as("step " + t).isCloseTo(expected[t - 1], within(1e-12));
        }
    }

    @Test
    void linearRampAndOneStep() {
        PruneSchedule linear = new PruneSchedule(PruneSchedule.Kind.LINEAR, 4);
        assertThat(linear.fraction(1)).isEqualTo(0.25);
        assertThat(linear.fraction(3)).isEqualTo(0.75);
        assertThat(linear.fraction(4)).isEqualTo(1.0);
        assertThat(PruneSchedule.cubic(1).fraction(1)).isEqualTo(1.0);
    }

    @Test
    void badStepsAreNamed() {
        assertThatThrownBy(() -> PruneSchedule.cubic(0)).hasMessageContaining("at least 1 step, got 0");
        assertThatThrownBy(() -> PruneSchedule.cubic(3).fraction(4)).hasMessageContaining("[1, 3], got 4");
    }

    @Test
    void layerTargetsOverrideTheDefaultAndScaleWithTheRamp() {
        PruneOptions o = new PruneOptions(PruneOptions.Method.MAGNITUDE, 0.92, null, Map.of(3, 0.74));
        assertThat(o.sparsityOf(1)).isEqualTo(0.92);
        assertThat(o.sparsityOf(3)).isEqualTo(0.74);
        PruneOptions half = o.scaled(0.5);
        assertThat(half.sparsityOf(1)).isCloseTo(0.46, within(1e-12));
        assertThat(half.sparsityOf(3)).isCloseTo(0.37, within(1e-12));
    }

    @Test
    void badLayerTargetsAreNamed() {
        assertThatThrownBy(() -> new PruneOptions(PruneOptions.Method.MAGNITUDE, 0.9, null, Map.of(0, 0.5)))
                .hasMessageContaining("start at 1")
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> new PruneOptions(PruneOptions.Method.MAGNITUDE, 0.9, null, Map.of(2, 1.0)))
                .hasMessageContaining("layer 2")
                .hasMessageContaining("[0, 1), got 1.0");
        assertThatThrownBy(() -> new PruneOptions(PruneOptions.Method.STRUCTURED, 0.5, null, Map.of(1, 0.5)))
                .hasMessageContaining("magnitude pruning by sparsity only");
        assertThatThrownBy(() -> new IterativePruning(
                        new PruneOptions(PruneOptions.Method.MAGNITUDE, 0, 1.0),
                        PruneSchedule.cubic(3),
                        null,
                        1,
                        1e-4f,
                        1,
                        l -> {}))
                .hasMessageContaining("not --quality");
        assertThatThrownBy(() -> new IterativePruning(
                        PruneOptions.magnitude(0.9), PruneSchedule.cubic(3), null, 0, 1e-4f, 1, l -> {}))
                .hasMessageContaining("--retrain-epochs must be >= 1, got 0");
    }
}
