package dev.pier.protocol.kserve;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.pier.api.ModelMetadata;
import dev.pier.api.TensorSpec;
import dev.pier.protocol.codec.Json;
import java.io.IOException;
import java.util.List;

/** JSON bodies of V2 server and model metadata. Stateless; thread-safe. */
public final class V2Metadata {
    private static final String LINEAGE = "lineage.";

    private V2Metadata() {}

    public static byte[] server(String name, String version, List<String> extensions) {
        return Json.object(g -> {
            g.writeStringField("name", name);
            g.writeStringField("version", version);
            g.writeArrayFieldStart("extensions");
            for (String e : extensions) {
                g.writeString(e);
            }
            g.writeEndArray();
        });
    }

    public static byte[] model(ModelMetadata m) {
        return Json.object(g -> {
            g.writeStringField("name", m.name());
            g.writeArrayFieldStart("versions");
            for (long v : m.versions()) {
                g.writeString(Long.toString(v));
            }
            g.writeEndArray();
            g.writeStringField("platform", m.platform());
            tensors(g, "inputs", m.signature().inputs());
            tensors(g, "outputs", m.signature().outputs());
            lineage(g, m);
        });
    }

    /**
     * A version published by {@code pier pipeline} says which run produced it, as V2 {@code parameters}
     * ({@code run_id}, {@code pipeline}); other versions' metadata has no parameters, as before.
     */
    private static void lineage(JsonGenerator g, ModelMetadata m) throws IOException {
        boolean open = false;
        for (var e : new java.util.TreeMap<>(m.properties()).entrySet()) {
            if (e.getKey().startsWith(LINEAGE)) {
                if (!open) {
                    g.writeObjectFieldStart("parameters");
                    open = true;
                }
                g.writeStringField(e.getKey().substring(LINEAGE.length()), e.getValue());
            }
        }
        if (open) {
            g.writeEndObject();
        }
    }

    private static void tensors(JsonGenerator g, String field, List<TensorSpec> specs) throws IOException {
        g.writeArrayFieldStart(field);
        for (TensorSpec s : specs) {
            g.writeStartObject();
            V2TensorHeader.write(g, s.name(), s.datatype(), s.shape());
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
