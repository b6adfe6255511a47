package dev.pier.compress.auto;

/**
 * How to search. Immutable.
 *
 * @param maxAccuracyDrop largest accuracy loss accepted, as a fraction (0.01 = 1 percentage point); default 0.01
 * @param objective       what to minimise among the candidates within budget: SIZE (file bytes, default) or
 *                        LATENCY (batch-1 p50)
 */
public record AutoOptions(double maxAccuracyDrop, Objective objective) {
    public enum Objective {
        SIZE,
        LATENCY
    }

    public AutoOptions {
        if (!(maxAccuracyDrop >= 0 && maxAccuracyDrop <= 1)) {
            throw new IllegalArgumentException(
                    "maximum accuracy drop must be in [0, 1] (0.01 = 1 point), got " + maxAccuracyDrop);
        }
        if (objective == null) {
            throw new IllegalArgumentException("an objective (size or latency) is required");
        }
    }

    /** Reads the budget as users write it: {@code 1%} (percentage points) or {@code 0.01} (a fraction). */
    public static AutoOptions parse(String maxAccuracyDrop, Objective objective) {
        String d = maxAccuracyDrop.trim();
        double drop;
        try {
            drop = d.endsWith("%") ? Double.parseDouble(d.substring(0, d.length() - 1)) / 100 : Double.parseDouble(d);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--max-accuracy-drop '" + maxAccuracyDrop + "' is not a number; expected e.g. 1% or 0.01");
        }
        return new AutoOptions(drop, objective);
    }
}
