package dev.pier.pipeline;

import java.util.Map;

/**
 * One stage's line in a run record.
 *
 * @param stage   the stage's id
 * @param status  ran, up_to_date, skipped (not in the pipeline file), kept (before --from), not_run (after --until
 *                or after a failure), would_run (dry run), failed
 * @param reason  why it ran or did not
 * @param seconds time spent
 * @param key     its cache key, when computed
 * @param inputs  what the key hashed
 * @param outputs files and their hashes
 * @param result  its figures and facts
 */
public record StageReport(
        String stage,
        String status,
        String reason,
        double seconds,
        String key,
        Map<String, Object> inputs,
        Map<String, String> outputs,
        Map<String, Object> result) {
    public StageReport {
        inputs = inputs == null ? Map.of() : inputs;
        outputs = outputs == null ? Map.of() : outputs;
        result = result == null ? Map.of() : result;
    }

    static StageReport of(String status, String reason, double seconds, StageRecord r) {
        return new StageReport(r.stage(), status, reason, seconds, r.key(), r.inputs(), r.outputs(), r.result());
    }
}
