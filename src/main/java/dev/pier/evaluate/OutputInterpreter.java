package dev.pier.evaluate;

import dev.pier.evaluate.metrics.ProbabilityMatrix;

/**
 * Turns raw classifier outputs into class probabilities: detects whether they already are probabilities
 * (every row non-negative, summing to 1 within {@link #SUM_TOLERANCE}) or logits, and applies a numerically
 * stable softmax to logits. Pure and thread-safe.
 */
public final class OutputInterpreter {

    /** How far a row may sum from 1 and still count as probabilities: float32 softmax drifts ~1e-6. */
    public static final double SUM_TOLERANCE = 1e-3;

    private OutputInterpreter() {}

    /** The kind of {@code raw} ({@code rows × numClasses}, row-major): never {@link OutputKind#AUTO}. */
    public static OutputKind detect(double[] raw, int rows, int numClasses) {
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int c = 0; c < numClasses; c++) {
                double v = raw[r * numClasses + c];
                if (!(v >= 0)) {
                    return OutputKind.LOGITS;
                }
                sum += v;
            }
            if (Math.abs(sum - 1) > SUM_TOLERANCE) {
                return OutputKind.LOGITS;
            }
        }
        return OutputKind.PROBABILITIES;
    }

    /**
     * Resolves {@code requested} (detecting when AUTO) and returns probabilities. Declared probabilities are
     * taken as they are (log loss clips them, as sklearn does; rows need not sum to exactly 1) but must lie
     * in [0, 1]; logits go through softmax.
     */
    public static Interpreted interpret(double[] raw, int rows, int numClasses, OutputKind requested) {
        OutputKind kind = requested == OutputKind.AUTO ? detect(raw, rows, numClasses) : requested;
        for (int i = 0; i < raw.length; i++) {
            if (!Double.isFinite(raw[i])) {
                throw new IllegalArgumentException("model output row " + (i / numClasses) + " holds " + raw[i]
                        + " at class " + (i % numClasses) + "; expected finite scores");
            }
        }
        if (kind == OutputKind.PROBABILITIES) {
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] < 0 || raw[i] > 1 + SUM_TOLERANCE) {
                    throw new IllegalArgumentException("output kind is probabilities but model output row "
                            + (i / numClasses) + " holds " + raw[i] + " at class " + (i % numClasses)
                            + "; probabilities lie in [0, 1] (use --output-kind logits or auto)");
                }
            }
        }
        double[] probs = kind == OutputKind.LOGITS ? softmax(raw, rows, numClasses) : raw.clone();
        return new Interpreted(kind, new ProbabilityMatrix(rows, numClasses, probs));
    }

    /** Row-wise softmax, shifted by each row's max so large logits do not overflow. */
    public static double[] softmax(double[] logits, int rows, int numClasses) {
        double[] out = new double[logits.length];
        for (int r = 0; r < rows; r++) {
            int base = r * numClasses;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < numClasses; c++) {
                max = Math.max(max, logits[base + c]);
            }
            double sum = 0;
            for (int c = 0; c < numClasses; c++) {
                out[base + c] = Math.exp(logits[base + c] - max);
                sum += out[base + c];
            }
            for (int c = 0; c < numClasses; c++) {
                out[base + c] /= sum;
            }
        }
        return out;
    }

    /** The resolved kind and the probabilities. */
    public record Interpreted(OutputKind kind, ProbabilityMatrix probabilities) {}
}
