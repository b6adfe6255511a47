package dev.pier.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads which pipeline run produced a version: {@code lineage.json} beside its model file, written by
 * {@code pier pipeline} when it publishes. Only {@code run_id} and {@code pipeline} are kept (they go into the
 * model's metadata). A missing or unreadable file is no lineage, never a load failure. Stateless.
 */
final class Lineage {
    static final String FILE = "lineage.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Lineage() {}

    static Map<String, String> read(Path modelFile) {
        Path file = modelFile.resolveSibling(FILE);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            Map<String, String> lineage = new LinkedHashMap<>();
            for (String key : new String[] {"run_id", "pipeline"}) {
                if (node.path(key).isTextual()) {
                    lineage.put(key, node.path(key).asText());
                }
            }
            return lineage;
        } catch (IOException e) {
            return Map.of();
        }
    }
}
