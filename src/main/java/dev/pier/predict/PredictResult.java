package dev.pier.predict;

import java.util.List;

/**
 * The answer to one {@code pier predict} call: the response body as pretty JSON, the outputs as values, and
 * the model's metadata when it was fetched (null otherwise; it supplies class labels). Immutable.
 */
public record PredictResult(String json, List<OutputValues> outputs, RemoteModel model) {
    public PredictResult {
        outputs = List.copyOf(outputs);
    }
}
