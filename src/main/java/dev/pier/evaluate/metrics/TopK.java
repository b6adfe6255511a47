package dev.pier.evaluate.metrics;

/**
 * Top-k accuracy as scikit-learn's {@code top_k_accuracy_score}: an example counts when its true class is
 * among the k highest scores. Ties are broken as sklearn's stable sort reversed does: among equal scores
 * the higher class index ranks first. Pure and thread-safe.
 */
public final class TopK {

    private TopK() {}

    /** Fraction of rows whose true class ranks within the top {@code k}; {@code k >= numClasses} gives 1. */
    public static double accuracy(ProbabilityMatrix scores, int[] labels, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("top-k needs k >= 1, got " + k);
        }
        if (labels.length != scores.rows()) {
            throw new IllegalArgumentException(labels.length + " labels for " + scores.rows() + " rows of scores");
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("top-k accuracy of no examples is undefined");
        }
        long hits = 0;
        for (int r = 0; r < labels.length; r++) {
            if (rank(scores, r, labels[r]) < k) {
                hits++;
            }
        }
        return (double) hits / labels.length;
    }

    /** 0-based position of {@code clazz} when the row is sorted by descending score, sklearn's tie order. */
    static int rank(ProbabilityMatrix scores, int row, int clazz) {
        double own = scores.get(row, clazz);
        int ahead = 0;
        for (int c = 0; c < scores.numClasses(); c++) {
            double s = scores.get(row, c);
            if (s > own || (s == own && c > clazz)) {
                ahead++;
            }
        }
        return ahead;
    }
}
