package dev.pier.monitor.log;

import java.util.Optional;

/**
 * Prediction logging and feedback for {@code pier serve}. Immutable.
 *
 * @param log            the prediction log, or empty for none (the default: {@code --prediction-log DIR} turns it on)
 * @param feedbackWindow how many of the latest answered requests feedback can name ({@code --feedback-window});
 *                       default 100,000 (about 20 MB); 0 turns feedback and the live metrics off
 */
public record PredictionMonitoringOptions(Optional<PredictionLogOptions> log, int feedbackWindow) {
    public static final int DEFAULT_FEEDBACK_WINDOW = 100_000;

    public PredictionMonitoringOptions {
        if (feedbackWindow < 0) {
            throw new IllegalArgumentException("--feedback-window must be >= 0 requests, got " + feedbackWindow);
        }
    }

    public static PredictionMonitoringOptions defaults() {
        return new PredictionMonitoringOptions(Optional.empty(), DEFAULT_FEEDBACK_WINDOW);
    }
}
