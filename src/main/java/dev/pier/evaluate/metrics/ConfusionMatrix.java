package dev.pier.evaluate.metrics;

/**
 * Counts of (true class, predicted class) pairs: {@code counts[t][p]}, rows are true classes (sklearn's
 * orientation). Immutable: the counts are copied in and out.
 */
public final class ConfusionMatrix {

    private final long[][] counts;

    private ConfusionMatrix(long[][] counts) {
        this.counts = counts;
    }

    /** Tallies labels and predictions, both in {@code [0, numClasses)}. */
    public static ConfusionMatrix of(int[] trueLabels, int[] predicted, int numClasses) {
        if (trueLabels.length != predicted.length) {
            throw new IllegalArgumentException(trueLabels.length + " labels but " + predicted.length + " predictions");
        }
        long[][] counts = new long[numClasses][numClasses];
        for (int i = 0; i < trueLabels.length; i++) {
            checkClass(trueLabels[i], numClasses, "label", i);
            checkClass(predicted[i], numClasses, "prediction", i);
            counts[trueLabels[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(counts);
    }

    /** A matrix from known counts (square, non-negative), for tests and reports read back. */
    public static ConfusionMatrix ofCounts(long[][] counts) {
        long[][] copy = new long[counts.length][];
        for (int t = 0; t < counts.length; t++) {
            if (counts[t].length != counts.length) {
                throw new IllegalArgumentException("confusion matrix row " + t + " has " + counts[t].length
                        + " columns, expected " + counts.length);
            }
            for (long c : counts[t]) {
                if (c < 0) {
                    throw new IllegalArgumentException("negative count " + c + " in row " + t);
                }
            }
            copy[t] = counts[t].clone();
        }
        return new ConfusionMatrix(copy);
    }

    private static void checkClass(int c, int numClasses, String what, int index) {
        if (c < 0 || c >= numClasses) {
            throw new IllegalArgumentException(
                    what + " " + c + " of example " + index + " is outside [0, " + numClasses + ")");
        }
    }

    public int numClasses() {
        return counts.length;
    }

    public long count(int trueClass, int predictedClass) {
        return counts[trueClass][predictedClass];
    }

    public long total() {
        long n = 0;
        for (long[] row : counts) {
            for (long c : row) {
                n += c;
            }
        }
        return n;
    }

    public long truePositives(int c) {
        return counts[c][c];
    }

    /** Examples of class {@code c}: the row sum. */
    public long support(int c) {
        long n = 0;
        for (long v : counts[c]) {
            n += v;
        }
        return n;
    }

    /** Examples predicted as class {@code c}: the column sum. */
    public long predictedCount(int c) {
        long n = 0;
        for (long[] row : counts) {
            n += row[c];
        }
        return n;
    }

    public long correct() {
        long n = 0;
        for (int c = 0; c < counts.length; c++) {
            n += counts[c][c];
        }
        return n;
    }

    /** A copy of the counts, rows = true class. */
    public long[][] toArray() {
        long[][] copy = new long[counts.length][];
        for (int t = 0; t < counts.length; t++) {
            copy[t] = counts[t].clone();
        }
        return copy;
    }
}
