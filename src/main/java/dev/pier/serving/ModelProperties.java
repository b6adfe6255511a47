package dev.pier.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.repository.ModelConfig;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The free-form {@code properties} of a model's metadata: {@code max_batch_size}, each output's labels
 * ({@code labels.<output>}: a JSON array of strings; {@code label_filename.<output>}: the file they came
 * from), the config's {@code parameters} ({@code parameter.<key>}) and the version's lineage
 * ({@code lineage.run_id}, {@code lineage.pipeline}). Pure.
 */
final class ModelProperties {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Properties that say which pipeline run produced the version ({@code lineage.run_id}, {@code lineage.pipeline}). */
    static final String LINEAGE_PREFIX = "lineage.";

    private ModelProperties() {}

    static Map<String, String> of(LoadedModel loaded) {
        ModelConfig config = loaded.config();
        Map<String, String> props = new TreeMap<>();
        props.put("max_batch_size", Integer.toString(config.maxBatchSize()));
        config.output().forEach(o -> {
            if (o.labelFilename() != null) {
                props.put("label_filename." + o.name(), o.labelFilename());
            }
        });
        for (Map.Entry<String, List<String>> e : loaded.labels().entrySet()) {
            props.put("labels." + e.getKey(), json(e.getValue()));
        }
        config.parameters().forEach((k, v) -> props.put("parameter." + k, v.stringValue()));
        loaded.lineage().forEach((k, v) -> props.put(LINEAGE_PREFIX + k, v));
        return props;
    }

    private static String json(List<String> labels) {
        try {
            return JSON.writeValueAsString(labels);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
