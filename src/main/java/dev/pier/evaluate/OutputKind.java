package dev.pier.evaluate;

/**
 * What a classifier's output holds. {@link #AUTO} decides from the values: when every row is non-negative
 * and sums to 1 within {@link OutputInterpreter#SUM_TOLERANCE}, probabilities; otherwise logits, to which
 * softmax is applied.
 */
public enum OutputKind {
    AUTO,
    PROBABILITIES,
    LOGITS
}
