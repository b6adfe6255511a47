package dev.pier.monitor.dashboard;

import java.util.Arrays;

/**
 * A cumulative histogram read at one instant: {@code cumulative[i]} values were at most {@code bounds[i]}
 * since the series began; {@code count} and {@code total} cover every value, including those above the
 * last bound. Immutable (the arrays are copied in).
 */
public record Histogram(double[] bounds, double[] cumulative, long count, double total) {
    public static final Histogram EMPTY = new Histogram(new double[0], new double[0], 0, 0);

    public Histogram {
        if (bounds.length != cumulative.length) {
            throw new IllegalArgumentException(
                    "histogram has " + bounds.length + " bounds but " + cumulative.length + " counts");
        }
        bounds = bounds.clone();
        cumulative = cumulative.clone();
    }

    @Override
    public double[] bounds() {
        return bounds.clone();
    }

    @Override
    public double[] cumulative() {
        return cumulative.clone();
    }

    double bound(int i) {
        return bounds[i];
    }

    double cumulativeAt(int i) {
        return cumulative[i];
    }

    int size() {
        return bounds.length;
    }

    boolean sameBounds(Histogram other) {
        return Arrays.equals(bounds, other.bounds);
    }
}
