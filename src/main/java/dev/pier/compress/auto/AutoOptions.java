package dev.pier.compress.auto;

/**
 * How to search. Immutable.
 *
 * @param maxAccuracyDrop largest accuracy loss accepted, as a fraction (0.01 = 1 percentage point); default 0.01
 * @param objective       what to minimise among the candidates within budget: SIZE (file bytes, default) or
 *                        LATENCY (batch-1 p50)
 */
public record AutoOptions(double maxAccuracyDrop, Objective objective) {
    public enum Objective { SIZE, LATENCY }

    public AutoOptions {
        if (!(maxAccuracyDrop >= 0 && maxAccuracyDrop <= 1)) {
            throw new IllegalArgumentException("maximum accuracy drop must be in [0, 1] (0.01 = 1 point), got " + maxAccuracyDrop);
        }
        if (objective == null) {
            throw new IllegalArgumentException("an objective (size or latency) is required");
        }
    }
}
