package dev.pier.protocol.kserve;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.pier.api.DataType;
import dev.pier.api.Shape;
import java.io.IOException;

/**
 * The {@code "name"}, {@code "datatype"} and {@code "shape"} fields every KServe V2 tensor object starts with,
 * in requests, responses, model metadata and Pier's prediction log alike. Stateless.
 */
public final class V2TensorHeader {
    private V2TensorHeader() {}

    /** Writes the three fields into the JSON object the caller has opened. */
    public static void write(JsonGenerator g, String name, DataType datatype, Shape shape) throws IOException {
        g.writeStringField("name", name);
        g.writeStringField("datatype", datatype.wireName());
        g.writeArrayFieldStart("shape");
        for (long d : shape.toArray()) {
            g.writeNumber(d);
        }
        g.writeEndArray();
    }
}
