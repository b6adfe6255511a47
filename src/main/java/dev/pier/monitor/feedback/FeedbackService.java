package dev.pier.monitor.feedback;

import dev.pier.api.InvalidInputException;
import dev.pier.protocol.ProtocolException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Joins feedback to remembered predictions and updates the live metrics: the use case behind
 * {@code POST /v2/models/{m}/feedback}. Thread-safe; borrows the window, the metrics and the sink.
 */
public final class FeedbackService {
    /** What one accepted feedback did: the joined rows and the version's figures after them. */
    public record Result(LabelledPrediction joined, LiveAccuracy.Snapshot live) {}

    private final RecentPredictions recent;
    private final LiveMetrics metrics;
    private final Consumer<LabelledPrediction> sink;

    /** @param sink where accepted feedback goes besides the metrics (the prediction log); must not block */
    public FeedbackService(RecentPredictions recent, LiveMetrics metrics, Consumer<LabelledPrediction> sink) {
        this.recent = recent;
        this.metrics = metrics;
        this.sink = sink;
    }

    /**
     * Checks every item before applying any, so a bad item in a list changes nothing.
     *
     * @throws ProtocolException 404 for an id not (or no longer) remembered, 409 for one already labelled
     * @throws InvalidInputException for an id of another model or a label count that does not match the rows
     */
    public List<Result> submit(String model, List<Feedback> items) {
        List<RecentPredictions.Prediction> found =
                items.stream().map(f -> check(model, f, items.size() > 1)).toList();
        java.util.ArrayList<Result> out = new java.util.ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            RecentPredictions.Prediction p = found.get(i);
            Feedback f = items.get(i);
            if (!recent.markLabelled(p)) {
                throw alreadyLabelled(f.id());
            }
            LiveAccuracy.Snapshot live = null;
            for (int row = 0; row < f.labels().length; row++) {
                live = metrics.record(p.model(), p.version(), f.labels()[row], p.classes()[row]);
            }
            LabelledPrediction joined = new LabelledPrediction(p.id(), p.model(), p.version(), p.classes(), f.labels());
            sink.accept(joined);
            out.add(new Result(joined, live));
        }
        return out;
    }

    private RecentPredictions.Prediction check(String model, Feedback f, boolean many) {
        RecentPredictions.Prediction p = recent.find(f.id())
                .orElseThrow(() -> new ProtocolException(
                        404,
                        "no prediction with request id '" + f.id() + "' is remembered: feedback joins the last "
                                + recent.capacity()
                                + " answered classification requests (--feedback-window); the id may be "
                                + "wrong, from another replica, or too old"));
        if (!p.model().equals(model)) {
            throw new InvalidInputException("request id '" + f.id() + "' was answered by model '" + p.model()
                    + "', not '" + model + "'; post its feedback to /v2/models/" + p.model() + "/feedback");
        }
        if (f.labels().length != p.classes().length) {
            throw new InvalidInputException(
                    "request '" + f.id() + "' had " + p.classes().length + " row(s), so its feedback needs "
                            + p.classes().length + " label(s) ("
                            + (p.classes().length == 1 ? "\"label\": N" : "\"labels\": [...]")
                            + "), got " + f.labels().length + " " + Arrays.toString(f.labels()));
        }
        if (recent.isLabelled(p)) {
            throw alreadyLabelled(f.id());
        }
        return p;
    }

    private static ProtocolException alreadyLabelled(String id) {
        return new ProtocolException(
                409, "request '" + id + "' already has feedback; each prediction is labelled once");
    }
}
