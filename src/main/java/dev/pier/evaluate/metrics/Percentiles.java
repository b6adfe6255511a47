package dev.pier.evaluate.metrics;

import java.util.Arrays;

/**
 * Percentiles by linear interpolation between closest ranks, numpy's default ({@code method="linear"}):
 * position {@code q/100 · (n − 1)} in the sorted sample. Pure and thread-safe.
 */
public final class Percentiles {

    private Percentiles() {}

    public static double of(double[] sample, double q) {
        if (sample.length == 0) {
            throw new IllegalArgumentException("percentile of an empty sample is undefined");
        }
        if (!(q >= 0 && q <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + q);
        }
        double[] sorted = sample.clone();
        Arrays.sort(sorted);
        double pos = q / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
