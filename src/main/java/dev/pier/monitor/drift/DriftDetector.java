package dev.pier.monitor.drift;

import dev.pier.profile.FeatureStats;
import dev.pier.profile.Histogram;
import dev.pier.profile.ReferenceProfile;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Drift detection for one model version: a sliding window of the last {@code window} live rows (their
 * features and predicted classes), compared with the reference profile every {@code stride} rows once the
 * window is full. Detection rule: any feature's PSI, or the predicted-class distribution's PSI, above the
 * PSI threshold; or any feature's KS p-value below {@code ksAlpha / features} (Bonferroni). Not
 * thread-safe: one thread (the drift worker) feeds it.
 */
public final class DriftDetector {
    private final ReferenceProfile profile;
    private final DriftOptions options;
    private final List<String> names;
    private final int features;
    private final double[] window; // [row][feature], a ring
    private final int[] classes; // predicted class per row, -1 when unknown
    private int next;
    private int filled;
    private int sinceEvaluation;
    private long rows;

    public DriftDetector(ReferenceProfile profile, DriftOptions options) {
        this.profile = profile;
        this.options = options;
        this.names = profile.stats().stream().map(FeatureStats::name).toList();
        this.features = names.size();
        this.window = new double[options.window() * features];
        this.classes = new int[options.window()];
    }

    public List<String> featureNames() {
        return names;
    }

    public long rows() {
        return rows;
    }

    /**
     * Adds one live row.
     *
     * @param values         its features, in {@link #featureNames()} order
     * @param predictedClass the class the model predicted, or -1 when unknown
     * @return the evaluation, when this row completed a stride on a full window
     */
    public Optional<DriftReport> add(double[] values, int predictedClass) {
        System.arraycopy(values, 0, window, next * features, features);
        classes[next] = predictedClass;
        next = (next + 1) % options.window();
        filled = Math.min(filled + 1, options.window());
        rows++;
        sinceEvaluation++;
        if (filled < options.window() || sinceEvaluation < options.stride()) {
            return Optional.empty();
        }
        sinceEvaluation = 0;
        return Optional.of(evaluate());
    }

    /** Compares the current window with the reference. */
    DriftReport evaluate() {
        Map<String, Double> psi = new LinkedHashMap<>();
        Map<String, Double> ks = new LinkedHashMap<>();
        Map<String, Double> p = new LinkedHashMap<>();
        String reason = "";
        double worstPsi = 0;
        double ksLimit = options.ksAlpha() / features;
        double[] column = new double[filled];
        for (int f = 0; f < features; f++) {
            FeatureStats ref = profile.stats().get(f);
            Histogram h = ref.histogram();
            long[] counts = new long[h.bins()];
            for (int r = 0; r < filled; r++) {
                column[r] = window[r * features + f];
                counts[h.bin(column[r])]++;
            }
            double score = DriftStatistics.psi(h.fractions(), DriftStatistics.fractions(counts));
            Arrays.sort(column);
            double[] sample = ref.sample();
            double d = DriftStatistics.ks(column, sample);
            double pv = DriftStatistics.ksPValue(d, column.length, sample.length);
            psi.put(names.get(f), score);
            ks.put(names.get(f), d);
            p.put(names.get(f), pv);
            if (score > options.psiThreshold() && score > worstPsi) {
                worstPsi = score;
                reason = String.format(Locale.ROOT, "PSI of %s %.3f > %s", names.get(f), score, options.psiThreshold());
            }
            if (reason.isEmpty() && options.ksAlpha() > 0 && pv < ksLimit) {
                reason = String.format(
                        Locale.ROOT,
                        "KS of %s D=%.3f, p=%.2g < %.2g (alpha %s / %d features)",
                        names.get(f),
                        d,
                        pv,
                        ksLimit,
                        options.ksAlpha(),
                        features);
            }
        }
        double classPsi = classPsi();
        if (reason.isEmpty() && classPsi > options.psiThreshold()) {
            reason = String.format(Locale.ROOT, "PSI of predicted_class %.3f > %s", classPsi, options.psiThreshold());
        }
        return new DriftReport(rows, psi, ks, p, classPsi, !reason.isEmpty(), reason);
    }

    private double classPsi() {
        int k = profile.predictions().numClasses();
        long[] counts = new long[k];
        long known = 0;
        for (int r = 0; r < filled; r++) {
            if (classes[r] >= 0 && classes[r] < k) {
                counts[classes[r]]++;
                known++;
            }
        }
        return known == 0
                ? Double.NaN
                : DriftStatistics.psi(profile.predictions().fractions(), DriftStatistics.fractions(counts));
    }
}
