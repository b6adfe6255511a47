package dev.pier.serving;

import dev.pier.api.ModelSignature;
import dev.pier.batching.ScheduledSession;
import dev.pier.repository.ModelConfig;
import java.util.List;
import java.util.Map;

/**
 * One version after a successful load: its scheduled session (the only way requests reach the runtime), the signature requests are checked against (model
 * file merged with config overrides), its config and the labels of outputs that have a
 * {@code label_filename}, and its lineage (from {@code lineage.json} beside the model file, written by
 * {@code pier pipeline}: {@code run_id}, {@code pipeline}; empty when absent). Owns the session: {@link #close()} frees its native memory. Thread-safe as the
 * session is.
 */
public record LoadedModel(
        String model,
        long version,
        ScheduledSession session,
        ModelSignature signature,
        ModelConfig config,
        Map<String, List<String>> labels,
        Map<String, String> lineage)
        implements AutoCloseable {
    public LoadedModel {
        labels = Map.copyOf(labels);
        lineage = Map.copyOf(lineage);
    }

    /** A version without lineage (not published by a pipeline). */
    public LoadedModel(
            String model,
            long version,
            ScheduledSession session,
            ModelSignature signature,
            ModelConfig config,
            Map<String, List<String>> labels) {
        this(model, version, session, signature, config, labels, Map.of());
    }

    @Override
    public void close() {
        session.close();
    }
}
