package dev.pier.predict;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.pier.api.InferRequest;
import dev.pier.api.Tensor;
import dev.pier.protocol.codec.Json;
import dev.pier.protocol.codec.TensorWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The request {@code pier predict} will send: typed tensors (V2 REST or gRPC, or converted to TF Serving's
 * columnar JSON), or a TF Serving body kept as the user wrote it (so its row or columnar format, and thus the
 * answer's shape, is the user's choice). Immutable.
 */
record PreparedInput(InferRequest request, String tfBody) {

    static PreparedInput tensors(InferRequest request) {
        return new PreparedInput(request, null);
    }

    static PreparedInput tfJson(String body) {
        return new PreparedInput(null, body);
    }

    /** The TF Serving body: the user's own, or the tensors as {@code {"inputs": {name: nested}}}. */
    String asTfBody() {
        if (tfBody != null) {
            return tfBody;
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("inputs");
            for (Tensor t : request.inputs()) {
                g.writeFieldName(t.name());
                new TensorWriter(t, TensorWriter.StringStyle.TF_SERVING).writeNested(g);
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
