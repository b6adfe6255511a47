package dev.pier.serving;

import dev.pier.api.ModelSignature;
import dev.pier.repository.ModelConfig;
import dev.pier.batching.ScheduledSession;

import java.util.List;
import java.util.Map;

/**
 * One version after a successful load: its scheduled session (the only way requests reach the runtime), the signature requests are checked against (model
 * file merged with config overrides), its config and the labels of outputs that have a
 * {@code label_filename}. Owns the session: {@link #close()} frees its native memory. Thread-safe as the
 * session is.
 */
public record LoadedModel(String model, long version, ScheduledSession session, ModelSignature signature,
                          ModelConfig config, Map<String, List<String>> labels) implements AutoCloseable {
    public LoadedModel {
        labels = Map.copyOf(labels);
    }

    @Override
    public void close() {
        session.close();
    }
}
