package dev.pier.monitor.drift;

/**
 * How the server watches for drift. Immutable; {@link #defaults()} gives the documented defaults.
 *
 * @param enabled      watch versions that have a reference profile; default true (versions without one are
 *                     never watched)
 * @param window       live rows per sliding window; default 500
 * @param stride       rows between two evaluations of a full window; default 100
 * @param psiThreshold drift is detected when any feature's PSI, or the predicted-class distribution's PSI,
 *                     exceeds this; default 0.2 (the usual "significant shift" reading)
 * @param ksAlpha      drift is also detected when a feature's two-sample KS p-value is below
 *                     {@code ksAlpha / features} (Bonferroni); default 0, rule off (KS statistics are still
 *                     exported). Off by default because with windows of hundreds of rows KS flags small
 *                     real differences that do not matter: the first 500 MNIST test images against
 *                     training images give D = 0.145, p = 8e-8 on the top-left region mean, while every PSI
 *                     stays far below 0.2
 * @param queueCapacity inferences waiting for the drift worker before new ones are dropped (and counted);
 *                     default 1024
 */
public record DriftOptions(
        boolean enabled, int window, int stride, double psiThreshold, double ksAlpha, int queueCapacity) {

    public static DriftOptions defaults() {
        return new DriftOptions(true, 500, 100, 0.2, 0, 1024);
    }

    public static DriftOptions disabled() {
        return defaults().withEnabled(false);
    }

    public DriftOptions {
        if (window < 10) {
            throw new IllegalArgumentException("the drift window must be >= 10 rows, got " + window);
        }
        if (stride < 1 || stride > window) {
            throw new IllegalArgumentException(
                    "the drift stride must be in 1.." + window + " rows (the window), got " + stride);
        }
        if (!(psiThreshold > 0)) {
            throw new IllegalArgumentException("the PSI threshold must be > 0, got " + psiThreshold);
        }
        if (!(ksAlpha >= 0 && ksAlpha < 1)) {
            throw new IllegalArgumentException("the KS alpha must be in [0, 1) (0 = KS rule off), got " + ksAlpha);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("the drift queue capacity must be >= 1, got " + queueCapacity);
        }
    }

    public DriftOptions withEnabled(boolean on) {
        return new DriftOptions(on, window, stride, psiThreshold, ksAlpha, queueCapacity);
    }

    public DriftOptions withWindow(int rows, int everyRows) {
        return new DriftOptions(enabled, rows, everyRows, psiThreshold, ksAlpha, queueCapacity);
    }

    public DriftOptions withThresholds(double psi, double alpha) {
        return new DriftOptions(enabled, window, stride, psi, alpha, queueCapacity);
    }
}
