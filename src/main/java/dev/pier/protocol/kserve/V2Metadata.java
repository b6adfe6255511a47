package dev.pier.protocol.kserve;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.pier.api.ModelMetadata;
import dev.pier.api.TensorSpec;
import dev.pier.protocol.codec.Json;

import java.io.IOException;
import java.util.List;

/** JSON bodies of V2 server and model metadata. Stateless; thread-safe. */
public final class V2Metadata {
    private V2Metadata() {
    }

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
        });
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
