package dev.pier.compress.quantize;

/**
 * Entropy (KL-divergence) calibration, the method TensorRT introduced and ONNX Runtime offers: build a
 * histogram of {@code |x|}, and for every candidate clipping threshold (bin edge) compare the reference
 * distribution P (the histogram up to the threshold, everything beyond folded into the last bin) with Q, the
 * same bins merged into as many groups as there are quantization levels and spread back evenly over the bins
 * that were non-empty. The threshold with the smallest KL(P ‖ Q) loses the least information when the tensor
 * is clipped there and quantized; it ignores rare outliers that min-max would stretch the scale for.
 * Exact zeros are not counted (see {@link #threshold}). Stateless and thread-safe.
 */
public final class EntropyThreshold {
    /** Histogram resolution, as in TensorRT's description. */
    public static final int BINS = 2048;
    /** Added to empty bins before the divergence so that it stays finite. */
    private static final double EPS = 1e-4;

    private EntropyThreshold() {}

    /**
     * The clipping threshold (a value of {@code |x|}) for {@code levels} quantization levels on one side of
     * zero: 255 for a non-negative tensor quantized to uint8, 128 for a signed one.
     */
    public static float threshold(float[] values, int levels) {
        float maxAbs = 0;
        for (float v : values) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        if (maxAbs == 0 || !Float.isFinite(maxAbs)) {
            return maxAbs;
        }
        long[] hist = new long[BINS];
        double width = maxAbs / BINS;
        for (float v : values) {
            // exact zeros (half of a ReLU output, padding) are left out: the zero point represents them exactly
            // at any scale, while as a spike in the first bin they would dominate the divergence and push the
            // threshold down to where each level covers a single bin
            if (v != 0) {
                hist[Math.min(BINS - 1, (int) (Math.abs(v) / width))]++;
            }
        }
        return (float) (best(hist, levels) * width);
    }

    /** The number of histogram bins kept (threshold = that many bin widths) with the smallest divergence. */
    static int best(long[] hist, int levels) {
        int n = hist.length;
        long[] tail = new long[n + 1];
        for (int i = n - 1; i >= 0; i--) {
            tail[i] = tail[i + 1] + hist[i];
        }
        int bestI = n;
        double bestKl = Double.POSITIVE_INFINITY;
        for (int i = Math.min(levels, n); i <= n; i++) {
            double kl = divergence(hist, i, tail[i], levels);
            if (kl < bestKl) {
                bestKl = kl;
                bestI = i;
            }
        }
        return bestI;
    }

    /** KL(P ‖ Q) for the first {@code i} bins, {@code outliers} counts beyond them. */
    static double divergence(long[] hist, int i, long outliers, int levels) {
        double[] p = new double[i];
        for (int k = 0; k < i; k++) {
            p[k] = hist[k];
        }
        p[i - 1] += outliers;
        double[] q = new double[i];
        int groups = Math.min(levels, i);
        for (int gIdx = 0; gIdx < groups; gIdx++) {
            int start = (int) ((long) gIdx * i / groups);
            int end = (int) ((long) (gIdx + 1) * i / groups);
            double sum = 0;
            int nonEmpty = 0;
            for (int k = start; k < end; k++) {
                sum += hist[k];
                if (p[k] != 0) {
                    nonEmpty++;
                }
            }
            for (int k = start; k < end; k++) {
                q[k] = p[k] != 0 && nonEmpty > 0 ? sum / nonEmpty : 0;
            }
        }
        if (!smooth(p) || !smooth(q)) {
            return Double.POSITIVE_INFINITY;
        }
        double kl = 0;
        for (int k = 0; k < i; k++) {
            if (p[k] > 0) {
                kl += p[k] * Math.log(p[k] / q[k]);
            }
        }
        return kl;
    }

    /**
     * Normalises to a probability distribution in which empty bins hold {@code EPS}, taken evenly from the
     * non-empty ones; false when every bin is empty.
     */
    static boolean smooth(double[] d) {
        double total = 0;
        int zeros = 0;
        for (double v : d) {
            total += v;
            if (v == 0) {
                zeros++;
            }
        }
        int nonZeros = d.length - zeros;
        if (total == 0 || nonZeros == 0) {
            return false;
        }
        double take = zeros == 0 ? 0 : EPS * zeros / nonZeros;
        for (int k = 0; k < d.length; k++) {
            double v = d[k] / total;
            d[k] = v == 0 ? EPS : Math.max(v - take, EPS * 0.1);
        }
        return true;
    }
}
