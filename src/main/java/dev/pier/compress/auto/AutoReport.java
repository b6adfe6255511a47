package dev.pier.compress.auto;

import dev.pier.compress.ModelFigures;
import java.util.List;

/**
 * The search's outcome: the original's figures, every candidate and the one chosen (always within budget).
 * Immutable.
 */
public record AutoReport(
        String input,
        String output,
        double maxAccuracyDrop,
        String objective,
        ModelFigures original,
        List<Candidate> candidates,
        String chosen) {
    public AutoReport {
        candidates = List.copyOf(candidates);
    }
}
