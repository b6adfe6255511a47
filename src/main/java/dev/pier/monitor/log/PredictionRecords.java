package dev.pier.monitor.log;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.Tensor;
import dev.pier.monitor.feedback.LabelledPrediction;
import dev.pier.monitor.feedback.PredictedClasses;
import dev.pier.protocol.codec.Json;
import dev.pier.protocol.codec.TensorWriter;
import dev.pier.protocol.kserve.V2TensorHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * The JSON-lines record format of the prediction log, one object per line:
 * <pre>
 * {"type":"prediction","id":"…","time":"2026-…Z","model":"mnist","version":1,
 *  "inputs":[{"name","datatype","shape","data"}],"outputs":[{…}],"predicted_class":[7]}
 * {"type":"feedback","id":"…","time":"…","model":"mnist","version":1,"labels":[7],"predicted_class":[7]}
 * </pre>
 * Tensors are written as KServe V2 JSON tensors (flat {@code data}, row-major), so a logged {@code inputs}
 * array can be replayed as the body of a V2 infer request; BYTES elements are written as UTF-8 text.
 * {@code predicted_class} (one per row) is present when the answer reads as a classification
 * ({@link PredictedClasses}). Stateless; thread-safe.
 */
public final class PredictionRecords {
    private PredictionRecords() {}

    public static byte[] prediction(InferRequest request, InferResponse response, Instant time) {
        int[] classes = PredictedClasses.of(response);
        return line(g -> {
            header(g, "prediction", request.id(), time, response.model(), response.version());
            if (request.parameters().get(dev.pier.tracing.TracingService.TRACE_PARAMETER) instanceof String traceId) {
                g.writeStringField("trace_id", traceId); // joins the record to the request's trace and log lines
            }
            tensors(g, "inputs", request.inputs());
            tensors(g, "outputs", response.outputs());
            if (classes != null) {
                ints(g, "predicted_class", classes);
            }
        });
    }

    public static byte[] feedback(LabelledPrediction p, Instant time) {
        return line(g -> {
            header(g, "feedback", p.id(), time, p.model(), p.version());
            ints(g, "labels", p.labels());
            ints(g, "predicted_class", p.predicted());
        });
    }

    private static void header(JsonGenerator g, String type, String id, Instant time, String model, long version)
            throws IOException {
        g.writeStringField("type", type);
        g.writeStringField("id", id);
        g.writeStringField("time", time.toString());
        g.writeStringField("model", model);
        g.writeNumberField("version", version);
    }

    private static void tensors(JsonGenerator g, String field, List<Tensor> tensors) throws IOException {
        g.writeArrayFieldStart(field);
        for (Tensor t : tensors) {
            g.writeStartObject();
            V2TensorHeader.write(g, t.name(), t.datatype(), t.shape());
            g.writeFieldName("data");
            new TensorWriter(t, TensorWriter.StringStyle.TEXT).writeFlat(g);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void ints(JsonGenerator g, String field, int[] values) throws IOException {
        g.writeArrayFieldStart(field);
        for (int v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    /** One object and its line feed. */
    private static byte[] line(Json.ObjectBody body) {
        byte[] json = Json.object(body);
        byte[] out = java.util.Arrays.copyOf(json, json.length + 1);
        out[json.length] = '\n';
        return out;
    }

    /** Wraps I/O failures of in-memory generation, which cannot happen, for callers that stream. */
    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
