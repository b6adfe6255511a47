package dev.pier.monitor.log;

import java.util.List;

/**
 * What a prediction log directory holds for one model, joined by request id. Immutable value.
 *
 * @param examples           logged predictions that have feedback, oldest file first
 * @param predictions        prediction records of the model read (with or without feedback)
 * @param feedback           feedback records of the model read
 * @param unjoinedFeedback   feedback whose prediction is not in the log (not sampled, or rotated away)
 * @param skippedLines       lines that were not valid records (a line cut by a crash, for instance)
 */
public record LoggedTraffic(
        List<LoggedExample> examples, int predictions, int feedback, int unjoinedFeedback, int skippedLines) {
    public LoggedTraffic {
        examples = List.copyOf(examples);
    }
}
