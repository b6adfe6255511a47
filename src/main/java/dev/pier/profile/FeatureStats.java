package dev.pier.profile;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference distribution of one feature: summary statistics, quantiles, the PSI histogram and a sorted
 * sample for the Kolmogorov–Smirnov test. Immutable.
 *
 * @param name      feature name (see {@link FeatureExtractor})
 * @param count     reference rows
 * @param mean      mean
 * @param std       population standard deviation
 * @param min       smallest value
 * @param max       largest value
 * @param quantiles values at levels {@code "0.01"} ... {@code "0.99"} (linear interpolation between order
 *                  statistics, as numpy's default)
 * @param histogram bins and reference fractions for PSI
 * @param sample    at most {@link #SAMPLE_SIZE} evenly spaced order statistics of the reference values,
 *                  sorted ascending: the reference empirical distribution for KS
 */
public record FeatureStats(
        String name,
        long count,
        double mean,
        double std,
        double min,
        double max,
        Map<String, Double> quantiles,
        Histogram histogram,
        double[] sample) {

    public static final int SAMPLE_SIZE = 2000;
    static final double[] LEVELS = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};

    public FeatureStats {
        quantiles = Map.copyOf(quantiles);
        sample = sample.clone();
    }

    /** Statistics of the given values (any order; not modified). */
    public static FeatureStats of(String name, double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("feature " + name + " has no reference values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        double mean = sum / sorted.length;
        double ss = 0;
        for (double v : sorted) {
            ss += (v - mean) * (v - mean);
        }
        Map<String, Double> q = new LinkedHashMap<>();
        for (double level : LEVELS) {
            q.put(Double.toString(level), quantile(sorted, level));
        }
        int m = Math.min(SAMPLE_SIZE, sorted.length);
        double[] sample = new double[m];
        for (int i = 0; i < m; i++) {
            sample[i] = sorted[(int) (((long) i * sorted.length + sorted.length / 2) / m)];
        }
        return new FeatureStats(
                name,
                sorted.length,
                mean,
                Math.sqrt(ss / sorted.length),
                sorted[0],
                sorted[sorted.length - 1],
                q,
                Histogram.of(sorted),
                sample);
    }

    /** The {@code level} quantile of sorted values, interpolating linearly between order statistics. */
    public static double quantile(double[] sorted, double level) {
        double h = (sorted.length - 1) * level;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    @Override
    public double[] sample() {
        return sample.clone();
    }
}
