package dev.pier.monitor.feedback;

/**
 * A request's prediction joined with its feedback, as handed to the prediction log (so evaluation can join
 * logged inputs with labels later) and returned to the client. Immutable value.
 *
 * @param predicted the class the served version predicted, per row
 * @param labels    the true class, per row
 */
public record LabelledPrediction(String id, String model, long version, int[] predicted, int[] labels) {
    public LabelledPrediction {
        predicted = predicted.clone();
        labels = labels.clone();
    }

    public boolean correct(int row) {
        return predicted[row] == labels[row];
    }
}
