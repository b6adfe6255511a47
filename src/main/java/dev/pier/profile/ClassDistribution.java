package dev.pier.profile;

import java.util.Arrays;

/**
 * How often the model predicted each class on the reference data. Immutable.
 *
 * @param counts predictions per class index
 */
public record ClassDistribution(long[] counts) {

    public ClassDistribution {
        if (counts.length < 2) {
            throw new IllegalArgumentException("a class distribution needs at least 2 classes, got " + counts.length);
        }
        counts = counts.clone();
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    public int numClasses() {
        return counts.length;
    }

    /** Fractions per class (all zero when there were no predictions). */
    public double[] fractions() {
        long total = Arrays.stream(counts).sum();
        double[] f = new double[counts.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = total == 0 ? 0 : (double) counts[i] / total;
        }
        return f;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassDistribution c && Arrays.equals(counts, c.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }
}
