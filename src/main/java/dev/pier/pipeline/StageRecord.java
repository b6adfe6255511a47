package dev.pier.pipeline;

import java.util.Map;

/**
 * What one stage's last successful run recorded in the cache: the key its inputs hashed to, the inputs themselves
 * (so a rerun can say what changed), the files it wrote with their hashes, and its results (metrics, version ...).
 * Immutable; serialised as {@code stage.json} in the stage's cache folder.
 *
 * @param stage      the stage's id
 * @param key        SHA-256 of the inputs
 * @param inputs     parameters, input file hashes, upstream output hashes and Pier's version
 * @param outputs    file name (relative to the stage folder) to SHA-256
 * @param result     the stage's figures and facts
 * @param runId      the run that produced it
 * @param seconds    how long it took
 */
public record StageRecord(
        String stage,
        String key,
        Map<String, Object> inputs,
        Map<String, String> outputs,
        Map<String, Object> result,
        String runId,
        double seconds) {
    public StageRecord {
        inputs = inputs == null ? Map.of() : inputs;
        outputs = outputs == null ? Map.of() : outputs;
        result = result == null ? Map.of() : result;
    }

    /** The hash of output {@code name}, which downstream stages take as an input. */
    public String output(String name) {
        String h = outputs.get(name);
        if (h == null) {
            throw new IllegalStateException("stage " + stage + " recorded no output " + name);
        }
        return h;
    }
}
