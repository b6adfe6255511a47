package dev.pier.protocol.tfserving;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.pier.api.DataType;
import dev.pier.api.InferResponse;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelMetadata;
import dev.pier.api.ModelState;
import dev.pier.api.ModelVersionStatus;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import dev.pier.protocol.codec.Json;
import dev.pier.protocol.codec.TensorWriter;
import java.io.IOException;
import java.util.List;

/**
 * TF Serving REST response bodies: predict answers (row {@code predictions} or columnar {@code outputs}),
 * model status and model metadata with a {@code serving_default} signature_def. Stateless; thread-safe.
 */
public final class TfServingJson {
    private TfServingJson() {}

    /** TF's dtype enum name for a V2 datatype. */
    public static String dtype(DataType t) {
        return switch (t) {
            case BOOL -> "DT_BOOL";
            case UINT8 -> "DT_UINT8";
            case UINT16 -> "DT_UINT16";
            case UINT32 -> "DT_UINT32";
            case UINT64 -> "DT_UINT64";
            case INT8 -> "DT_INT8";
            case INT16 -> "DT_INT16";
            case INT32 -> "DT_INT32";
            case INT64 -> "DT_INT64";
            case FP16 -> "DT_HALF";
            case BF16 -> "DT_BFLOAT16";
            case FP32 -> "DT_FLOAT";
            case FP64 -> "DT_DOUBLE";
            case BYTES -> "DT_STRING";
        };
    }

    public static byte[] predict(InferResponse response, boolean rowFormat) {
        List<Tensor> outputs = response.outputs();
        return Json.object(g -> {
            if (rowFormat) {
                long n = batch(outputs);
                g.writeArrayFieldStart("predictions");
                for (long i = 0; i < n; i++) {
                    if (outputs.size() == 1) {
                        new TensorWriter(outputs.get(0), TensorWriter.StringStyle.TF_SERVING).writeSlice(g, i);
                    } else {
                        g.writeStartObject();
                        for (Tensor t : outputs) {
                            g.writeFieldName(t.name());
                            new TensorWriter(t, TensorWriter.StringStyle.TF_SERVING).writeSlice(g, i);
                        }
                        g.writeEndObject();
                    }
                }
                g.writeEndArray();
            } else if (outputs.size() == 1) {
                g.writeFieldName("outputs");
                new TensorWriter(outputs.get(0), TensorWriter.StringStyle.TF_SERVING).writeNested(g);
            } else {
                g.writeObjectFieldStart("outputs");
                for (Tensor t : outputs) {
                    g.writeFieldName(t.name());
                    new TensorWriter(t, TensorWriter.StringStyle.TF_SERVING).writeNested(g);
                }
                g.writeEndObject();
            }
        });
    }

    /** The common first dimension of the outputs, which the row format splits into predictions. */
    private static long batch(List<Tensor> outputs) {
        long n = -1;
        for (Tensor t : outputs) {
            if (t.shape().rank() == 0) {
                throw new InvalidInputException("output '" + t.name() + "' is a scalar and cannot be split into"
                        + " one prediction per instance; use the columnar format {\"inputs\": ...}");
            }
            if (n >= 0 && t.shape().dim(0) != n) {
                throw new InvalidInputException("outputs have different batch sizes (" + n + " and "
                        + t.shape().dim(0) + " for '" + t.name() + "'); use the columnar format {\"inputs\": ...}");
            }
            n = t.shape().dim(0);
        }
        return Math.max(n, 0);
    }

    public static byte[] status(List<ModelVersionStatus> statuses) {
        return Json.object(g -> {
            g.writeArrayFieldStart("model_version_status");
            for (ModelVersionStatus s : statuses) {
                g.writeStartObject();
                g.writeStringField("version", Long.toString(s.version()));
                g.writeStringField("state", s.state().tfServingName());
                g.writeObjectFieldStart("status");
                boolean failed = s.state() == ModelState.FAILED;
                g.writeStringField("error_code", failed ? "UNKNOWN" : "OK");
                g.writeStringField("error_message", s.error());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    public static byte[] metadata(ModelMetadata m) {
        return Json.object(g -> {
            g.writeObjectFieldStart("model_spec");
            g.writeStringField("name", m.name());
            g.writeStringField("signature_name", "");
            g.writeStringField("version", Long.toString(m.version()));
            g.writeEndObject();
            g.writeObjectFieldStart("metadata");
            g.writeObjectFieldStart("signature_def");
            g.writeObjectFieldStart("signature_def");
            g.writeObjectFieldStart(TfPredictDecoder.DEFAULT_SIGNATURE);
            tensors(g, "inputs", m.signature().inputs());
            tensors(g, "outputs", m.signature().outputs());
            g.writeStringField("method_name", "tensorflow/serving/predict");
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    private static void tensors(JsonGenerator g, String field, List<TensorSpec> specs) throws IOException {
        g.writeObjectFieldStart(field);
        for (TensorSpec s : specs) {
            g.writeObjectFieldStart(s.name());
            g.writeStringField("dtype", dtype(s.datatype()));
            g.writeObjectFieldStart("tensor_shape");
            g.writeArrayFieldStart("dim");
            for (long d : s.shape().toArray()) {
                g.writeStartObject();
                g.writeStringField("size", Long.toString(d));
                g.writeStringField("name", "");
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeBooleanField("unknown_rank", false);
            g.writeEndObject();
            g.writeStringField("name", s.name());
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
