package dev.pier.bench;

import java.util.List;
import java.util.Optional;

/**
 * The steps of a sweep and the capacity they show: the highest throughput of a step whose p99 meets the SLO
 * and that had no errors (a step that drops or fails requests does not meet any SLO). Immutable.
 */
public record SweepResult(String title, StepResult.Mode mode, List<StepResult> steps, double sloP99Ms) {

    public SweepResult {
        steps = List.copyOf(steps);
    }

    /** The step with the highest throughput within the SLO, if any. */
    public Optional<StepResult> capacity() {
        StepResult best = null;
        for (StepResult s : steps) {
            boolean meets =
                    s.errors() == 0 && s.latency().count() > 0 && s.latency().p99Ms() <= sloP99Ms;
            if (meets && (best == null || s.throughput() > best.throughput())) {
                best = s;
            }
        }
        return Optional.ofNullable(best);
    }
}
