package dev.pier.monitor.dashboard;

import java.util.Map;

/**
 * Model-quality gauges that other parts of the server put in the registry (drift detection, live accuracy
 * from feedback), read as they are at one instant. Any of them may be absent (null): the feature is off or
 * not built, and the page shows "—". Immutable.
 *
 * @param driftScores   {@code pier_drift_score} by its {@code feature} tag
 * @param driftDetected {@code pier_drift_detected} (true when the gauge is non-zero)
 * @param accuracy      {@code pier_live_accuracy}
 * @param precision     {@code pier_live_precision}
 * @param recall        {@code pier_live_recall}
 * @param f1            {@code pier_live_f1}
 * @param feedback      {@code pier_feedback_rows}
 */
public record Quality(
        Map<String, Double> driftScores,
        Boolean driftDetected,
        Double accuracy,
        Double precision,
        Double recall,
        Double f1,
        Double feedback) {
    public static final Quality NONE = new Quality(Map.of(), null, null, null, null, null, null);

    public Quality {
        driftScores = Map.copyOf(driftScores);
    }

    /** The largest drift score over the features, or null when there is none. */
    public Double driftMax() {
        return driftScores.values().stream().max(Double::compare).orElse(null);
    }
}
