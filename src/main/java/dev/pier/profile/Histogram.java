package dev.pier.profile;

import java.util.Arrays;

/**
 * A fixed-bin histogram of one reference feature, as fractions. Bin {@code i} holds the values in
 * {@code (edges[i-1], edges[i]]}, with open ends below the first and above the last edge; a point mass at
 * an edge therefore stays in one bin. Edges come from the reference quantiles (plus its min and max), so
 * every bin holds reference data and PSI compares populated bins; live values beyond the reference range
 * land in the (empty) outer bins and weigh heavily, as they should. Immutable.
 *
 * @param edges     strictly increasing cut points
 * @param fractions {@code edges.length + 1} reference fractions, summing to 1
 */
public record Histogram(double[] edges, double[] fractions) {

    public Histogram {
        if (fractions.length != edges.length + 1) {
            throw new IllegalArgumentException(
                    edges.length + " edges need " + (edges.length + 1) + " bins, got " + fractions.length);
        }
        for (int i = 1; i < edges.length; i++) {
            if (!(edges[i] > edges[i - 1])) {
                throw new IllegalArgumentException("histogram edges must increase strictly: " + Arrays.toString(edges));
            }
        }
        edges = edges.clone();
        fractions = fractions.clone();
    }

    /** Quantile levels whose reference values cut the bins (with the reference min and max). */
    static final double[] CUT_LEVELS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

    /** Bins built from the sorted reference values. */
    public static Histogram of(double[] sorted) {
        double[] cuts = new double[CUT_LEVELS.length + 2];
        cuts[0] = sorted[0];
        for (int i = 0; i < CUT_LEVELS.length; i++) {
            cuts[i + 1] = FeatureStats.quantile(sorted, CUT_LEVELS[i]);
        }
        cuts[cuts.length - 1] = sorted[sorted.length - 1];
        double[] edges = Arrays.stream(cuts).distinct().sorted().toArray();
        long[] counts = new long[edges.length + 1];
        for (double v : sorted) {
            counts[bin(edges, v)]++;
        }
        double[] fractions = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            fractions[i] = (double) counts[i] / sorted.length;
        }
        return new Histogram(edges, fractions);
    }

    /** The bin of {@code x}: the number of edges strictly below it. */
    public int bin(double x) {
        return bin(edges, x);
    }

    public int bins() {
        return fractions.length;
    }

    static int bin(double[] edges, double x) {
        int lo = 0;
        int hi = edges.length;
        while (lo < hi) { // first edge >= x
            int mid = (lo + hi) >>> 1;
            if (edges[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Override
    public double[] edges() {
        return edges.clone();
    }

    @Override
    public double[] fractions() {
        return fractions.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Histogram h && Arrays.equals(edges, h.edges) && Arrays.equals(fractions, h.fractions);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(edges) + Arrays.hashCode(fractions);
    }

    @Override
    public String toString() {
        return "Histogram" + Arrays.toString(edges) + Arrays.toString(fractions);
    }
}
