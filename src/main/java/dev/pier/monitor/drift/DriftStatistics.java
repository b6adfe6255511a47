package dev.pier.monitor.drift;

/**
 * The statistics of drift detection as plain functions. Stateless.
 *
 * <ul>
 * <li>Population stability index: {@code PSI = Σ (a_i − e_i) · ln(a_i / e_i)} over bins, with expected
 * (reference) fractions {@code e} and actual (live) fractions {@code a}; empty bins count as
 * {@link #PSI_FLOOR} so one empty bin does not make it infinite. Usual reading: below 0.1 no shift, 0.1 to
 * 0.2 moderate, above 0.2 significant.</li>
 * <li>Two-sample Kolmogorov–Smirnov: {@code D = sup |F_a(x) − F_b(x)|} over the two empirical distribution
 * functions (ties handled by stepping over equal values together), and its asymptotic p-value from the
 * Kolmogorov distribution with Stephens' small-sample correction.</li>
 * </ul>
 */
public final class DriftStatistics {
    /** The fraction an empty bin counts as in PSI. */
    public static final double PSI_FLOOR = 1e-4;

    private DriftStatistics() {}

    /** PSI of {@code actual} against {@code expected}, both fractions over the same bins. */
    public static double psi(double[] expected, double[] actual) {
        if (expected.length != actual.length || expected.length == 0) {
            throw new IllegalArgumentException("PSI needs two distributions over the same bins, got " + expected.length
                    + " and " + actual.length + " bins");
        }
        double sum = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = Math.max(expected[i], PSI_FLOOR);
            double a = Math.max(actual[i], PSI_FLOOR);
            sum += (a - e) * Math.log(a / e);
        }
        return sum;
    }

    /** Fractions of {@code counts}. */
    public static double[] fractions(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        double[] f = new double[counts.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = total == 0 ? 0 : (double) counts[i] / total;
        }
        return f;
    }

    /** The two-sample KS statistic D of two samples, each sorted ascending. */
    public static double ks(double[] sortedA, double[] sortedB) {
        int n = sortedA.length;
        int m = sortedB.length;
        if (n == 0 || m == 0) {
            throw new IllegalArgumentException("KS needs two non-empty samples, got " + n + " and " + m + " values");
        }
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < n && j < m) {
            double x = Math.min(sortedA[i], sortedB[j]);
            while (i < n && sortedA[i] <= x) {
                i++;
            }
            while (j < m && sortedB[j] <= x) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / n - (double) j / m));
        }
        return d;
    }

    /**
     * The asymptotic p-value of a two-sample KS statistic {@code d} for sample sizes {@code n} and {@code m}:
     * {@code Q_KS((√N + 0.12 + 0.11/√N) · d)} with {@code N = nm/(n+m)} and
     * {@code Q_KS(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}}.
     */
    public static double ksPValue(double d, int n, int m) {
        double en = Math.sqrt((double) n * m / (n + m));
        return kolmogorovQ((en + 0.12 + 0.11 / en) * d);
    }

    /** The Kolmogorov distribution's upper tail {@code Q_KS(λ) = P(K > λ)}. */
    public static double kolmogorovQ(double lambda) {
        if (lambda < 0.2) {
            return 1.0; // the series converges too slowly here, and the tail is 1 to 10 digits
        }
        double sum = 0;
        double sign = 1;
        for (int k = 1; k <= 100; k++) {
            double term = sign * Math.exp(-2.0 * k * k * lambda * lambda);
            sum += term;
            if (Math.abs(term) < 1e-12 * Math.abs(sum)) {
                break;
            }
            sign = -sign;
        }
        return Math.min(1.0, Math.max(0.0, 2 * sum));
    }
}
