package dev.pier.compress.prune;

/**
 * How sparsity rises over the cycles of iterative pruning. Immutable.
 *
 * <p>{@link Kind#CUBIC} is Zhu &amp; Gupta's 2017 gradual schedule ("To prune, or not to prune",
 * arXiv:1710.01878) in cycles instead of training steps: after cycle {@code t} of {@code n} a layer with final
 * target {@code s} has sparsity {@code s · (1 − (1 − t/n)³)}. It prunes fast while many redundant weights
 * remain and slowly near the end, when each weight matters more: for five steps the fractions of the target
 * are 48.8 %, 78.4 %, 93.6 %, 99.2 %, 100 %. {@link Kind#LINEAR} uses {@code s · t/n} (Han et al. 2015 prune
 * in fixed increments). The last cycle always reaches the target exactly.
 *
 * @param kind  CUBIC (default) or LINEAR
 * @param steps prune → retrain cycles, ≥ 1; one step is one-shot pruning followed by retraining
 */
public record PruneSchedule(Kind kind, int steps) {
    public enum Kind {
        CUBIC,
        LINEAR
    }

    public PruneSchedule {
        if (kind == null) {
            throw new IllegalArgumentException("schedule kind is required (cubic or linear)");
        }
        if (steps < 1) {
            throw new IllegalArgumentException("iterative pruning needs at least 1 step, got " + steps);
        }
    }

    public static PruneSchedule cubic(int steps) {
        return new PruneSchedule(Kind.CUBIC, steps);
    }

    /** The fraction of the final sparsity reached after 1-based {@code step}. */
    public double fraction(int step) {
        if (step < 1 || step > steps) {
            throw new IllegalArgumentException("step must be in [1, " + steps + "], got " + step);
        }
        if (step == steps) {
            return 1.0;
        }
        double t = step / (double) steps;
        return kind == Kind.CUBIC ? 1 - Math.pow(1 - t, 3) : t;
    }
}
