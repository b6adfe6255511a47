package dev.pier.evaluate.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Expected calibration error (Guo et al., "On Calibration of Modern Neural Networks", 2017): confidence is
 * the max class probability; examples go into {@code bins} equal-width bins {@code (i/B, (i+1)/B]} of
 * confidence; ECE = Σ (n_b / N) · |accuracy_b − meanConfidence_b|. Pure and thread-safe.
 *
 * @param bins one entry per bin, empty bins included (count 0)
 * @param ece  the expected calibration error, in [0, 1]
 */
public record Calibration(List<ReliabilityBin> bins, double ece) {

    /** The bin count Pier reports: 15, as in Guo et al. and most calibration papers since. */
    public static final int DEFAULT_BINS = 15;

    public Calibration {
        bins = List.copyOf(bins);
    }

    public static Calibration of(double[] confidences, boolean[] correct, int binCount) {
        if (confidences.length != correct.length) {
            throw new IllegalArgumentException(confidences.length + " confidences for " + correct.length + " outcomes");
        }
        if (binCount < 1) {
            throw new IllegalArgumentException("calibration needs at least one bin, got " + binCount);
        }
        if (confidences.length == 0) {
            throw new IllegalArgumentException("calibration of no examples is undefined");
        }
        long[] counts = new long[binCount];
        long[] hits = new long[binCount];
        double[] confSum = new double[binCount];
        for (int i = 0; i < confidences.length; i++) {
            double conf = confidences[i];
            if (!(conf >= 0 && conf <= 1)) {
                throw new IllegalArgumentException("confidence " + conf + " of example " + i + " is outside [0, 1]");
            }
            int b = binOf(conf, binCount);
            counts[b]++;
            confSum[b] += conf;
            if (correct[i]) {
                hits[b]++;
            }
        }
        List<ReliabilityBin> bins = new ArrayList<>(binCount);
        double ece = 0;
        for (int b = 0; b < binCount; b++) {
            double acc = counts[b] == 0 ? 0 : (double) hits[b] / counts[b];
            double meanConf = counts[b] == 0 ? 0 : confSum[b] / counts[b];
            ReliabilityBin bin = new ReliabilityBin(edge(b, binCount), edge(b + 1, binCount), counts[b], acc, meanConf);
            bins.add(bin);
            ece += (double) counts[b] / confidences.length * bin.gap();
        }
        return new Calibration(bins, ece);
    }

    /** Bin of a confidence under (lower, upper] edges; confidence 0 joins the first bin. */
    static int binOf(double conf, int binCount) {
        int b = (int) Math.ceil(conf * binCount) - 1;
        b = Math.max(0, Math.min(binCount - 1, b));
        // conf * binCount can round across an edge; settle against the edges themselves.
        while (b > 0 && conf <= edge(b, binCount)) {
            b--;
        }
        while (b < binCount - 1 && conf > edge(b + 1, binCount)) {
            b++;
        }
        return b;
    }

    static double edge(int i, int binCount) {
        return (double) i / binCount;
    }
}
