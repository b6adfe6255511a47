package dev.pier.evaluate.metrics;

/**
 * Mean cross-entropy of the true class, as scikit-learn's {@code log_loss} (1.5 and later): each probability
 * is clipped to {@code [eps, 1 - eps]} with eps the machine epsilon of float64 (2.22e-16, numpy's
 * {@code np.finfo(np.float64).eps}, which sklearn uses for float64 input) and rows are not renormalised
 * (older sklearn renormalised; since 1.5 it only warns when rows do not sum to one). A wrong prediction
 * made with full confidence thus costs {@code -ln(eps) ≈ 36.04} rather than infinity. Pure and thread-safe.
 */
public final class LogLoss {

    /** Machine epsilon of float64: the gap between 1.0 and the next double. */
    public static final double EPS = Math.ulp(1.0);

    private LogLoss() {}

    public static double of(ProbabilityMatrix probabilities, int[] labels) {
        if (labels.length != probabilities.rows()) {
            throw new IllegalArgumentException(labels.length + " labels for " + probabilities.rows() + " rows");
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("log loss of no examples is undefined");
        }
        double sum = 0;
        for (int r = 0; r < labels.length; r++) {
            double p = Math.min(Math.max(probabilities.get(r, labels[r]), EPS), 1 - EPS);
            sum -= Math.log(p);
        }
        return sum / labels.length;
    }
}
