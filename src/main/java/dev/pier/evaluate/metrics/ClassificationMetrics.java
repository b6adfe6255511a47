package dev.pier.evaluate.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Accuracy and per-class precision, recall and F1 with their macro and weighted averages, as scikit-learn's
 * {@code precision_recall_fscore_support} computes them with the default {@code zero_division="warn"}:
 * a ratio whose denominator is 0 counts as 0.0. F1 uses sklearn's form {@code 2tp / (2tp + fp + fn)}, which
 * equals {@code 2PR / (P + R)} wherever both are defined.
 *
 * <p>{@link #perClass()} lists every class of the matrix. The averages run over the classes that appear
 * among the true labels or the predictions (sklearn's {@code labels=None}); a class seen in neither would
 * otherwise add a 0 to the macro mean for nothing the model did. The weighted averages weigh each class by
 * its support, so such classes never matter there.
 */
public record ClassificationMetrics(
        double accuracy,
        List<ClassMetrics> perClass,
        double precisionMacro,
        double recallMacro,
        double f1Macro,
        double precisionWeighted,
        double recallWeighted,
        double f1Weighted) {

    public ClassificationMetrics {
        perClass = List.copyOf(perClass);
    }

    public static ClassificationMetrics of(ConfusionMatrix cm) {
        int k = cm.numClasses();
        long total = cm.total();
        if (total == 0) {
            throw new IllegalArgumentException("no examples: metrics of an empty confusion matrix are undefined");
        }
        List<ClassMetrics> perClass = new ArrayList<>(k);
        double pSum = 0, rSum = 0, fSum = 0, pW = 0, rW = 0, fW = 0;
        int present = 0;
        for (int c = 0; c < k; c++) {
            long tp = cm.truePositives(c);
            long support = cm.support(c);
            long predicted = cm.predictedCount(c);
            long fp = predicted - tp;
            long fn = support - tp;
            double precision = ratio(tp, tp + fp);
            double recall = ratio(tp, tp + fn);
            double f1 = ratio(2 * tp, 2 * tp + fp + fn);
            perClass.add(new ClassMetrics(c, precision, recall, f1, support));
            if (support > 0 || predicted > 0) {
                present++;
                pSum += precision;
                rSum += recall;
                fSum += f1;
            }
            pW += precision * support;
            rW += recall * support;
            fW += f1 * support;
        }
        return new ClassificationMetrics(
                (double) cm.correct() / total,
                perClass,
                pSum / present,
                rSum / present,
                fSum / present,
                pW / total,
                rW / total,
                fW / total);
    }

    /** sklearn's zero_division="warn": 0/0 is 0.0 (sklearn also warns; we document instead). */
    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0.0 : (double) numerator / denominator;
    }
}
