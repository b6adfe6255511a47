package dev.pier.evaluate.metrics;

/**
 * Class probabilities of {@code rows} examples over {@code numClasses} classes, row-major in one array.
 * Immutable by convention: the array is not copied, so callers must not change it after construction.
 *
 * @param rows       number of examples
 * @param numClasses number of classes (columns)
 * @param values     {@code rows × numClasses} probabilities; each row is expected to sum to 1
 */
public record ProbabilityMatrix(int rows, int numClasses, double[] values) {

    public ProbabilityMatrix {
        if (rows < 0 || numClasses < 1 || values.length != (long) rows * numClasses) {
            throw new IllegalArgumentException(
                    values.length + " values do not make " + rows + " rows of " + numClasses + " classes");
        }
    }

    public double get(int row, int clazz) {
        return values[row * numClasses + clazz];
    }

    /** Index of the largest probability in the row; the lowest index wins a tie (as numpy's argmax). */
    public int argmax(int row) {
        int base = row * numClasses;
        int best = 0;
        for (int c = 1; c < numClasses; c++) {
            if (values[base + c] > values[base + best]) {
                best = c;
            }
        }
        return best;
    }

    /** The largest probability in the row: the model's confidence in its prediction. */
    public double max(int row) {
        return values[row * numClasses + argmax(row)];
    }

    /** Predicted class of every row. */
    public int[] predictions() {
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = argmax(r);
        }
        return out;
    }

    /** Confidence (max probability) of every row. */
    public double[] confidences() {
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = max(r);
        }
        return out;
    }
}
