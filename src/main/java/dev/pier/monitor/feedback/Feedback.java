package dev.pier.monitor.feedback;

/**
 * The true labels of one answered request: {@code labels[i]} is the class of row i of its input (one
 * element for an unbatched or single-row request). Immutable value.
 */
public record Feedback(String id, int[] labels) {
    public Feedback {
        labels = labels.clone();
    }
}
