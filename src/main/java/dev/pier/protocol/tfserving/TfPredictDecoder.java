package dev.pier.protocol.tfserving;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.pier.api.DataType;
import dev.pier.api.InferRequest;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelSignature;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorData;
import dev.pier.api.TensorSpec;
import dev.pier.protocol.codec.ByteSlice;
import dev.pier.protocol.codec.DenseJson;
import dev.pier.protocol.codec.Json;
import dev.pier.protocol.codec.NestedReader;
import dev.pier.protocol.codec.TensorBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Decodes a TF Serving predict body into an {@link InferRequest}, using the model signature for input names
 * and dtypes (TF Serving's JSON carries no types). Row format: {@code "instances"}, one entry per example
 * (the value itself for a one-input model, or an object naming each input); shapes are the batch size
 * followed by the nesting of one instance. A Pier extension reads {@code "predictions"} (a TF Serving answer)
 * exactly like {@code "instances"}, because KServe's InferenceGraph router posts a {@code Sequence} step's answer
 * unchanged as the next step's request. Columnar: {@code "inputs"}, a value or an object of values, each
 * with its full shape. Stateless; thread-safe.
 */
public final class TfPredictDecoder {
    public static final String DEFAULT_SIGNATURE = "serving_default";

    /** The decoded request and whether the client used the row format (that shapes the answer). */
    public record Decoded(InferRequest request, boolean rowFormat) {}

    private TfPredictDecoder() {}

    private static void checkSignature(String signatureName) {
        if (signatureName != null && !signatureName.isEmpty() && !signatureName.equals(DEFAULT_SIGNATURE)) {
            throw new InvalidInputException(
                    "unknown signature_name '" + signatureName + "'; this model has only '" + DEFAULT_SIGNATURE + "'");
        }
    }

    public static Decoded decode(byte[] body, ModelSignature signature, String model, OptionalLong version) {
        return decode(ByteSlice.of(body), signature, model, version);
    }

    /** Decodes the body where the HTTP layer holds it (no copy of the bytes). */
    public static Decoded decode(ByteSlice body, ModelSignature signature, String model, OptionalLong version) {
        Decoded dense = dense(body, signature, model, version);
        return dense != null ? dense : general(body, signature, model, version);
    }

    /**
     * The common body of a one-input FP32 model, {@code {"instances": [rows of numbers]}} (with an optional
     * {@code signature_name}), read straight from the bytes by {@link DenseJson}; null for any other body, which
     * {@link #general} then decodes (and refuses with the error it words). Both give the same tensor.
     */
    static Decoded dense(ByteSlice body, ModelSignature sig, String model, OptionalLong version) {
        if (sig.inputs().size() != 1 || sig.inputs().get(0).datatype() != DataType.FP32) {
            return null;
        }
        TensorSpec spec = sig.inputs().get(0);
        DenseJson in = new DenseJson(body, instanceElements(spec));
        if (!in.take('{')) {
            return null;
        }
        int rows = -1;
        do {
            String key = in.simpleString();
            if (key == null || !in.take(':')) {
                return null;
            }
            switch (key) {
                case "instances", "predictions" -> {
                    if (rows >= 0 || (rows = in.rows()) < 0) {
                        return null;
                    }
                }
                case "signature_name" -> {
                    String name = in.simpleString();
                    if (name == null || !(name.isEmpty() || name.equals(DEFAULT_SIGNATURE))) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        } while (in.take(','));
        if (!in.take('}') || in.peek() != -1 || rows < 0) {
            return null;
        }
        long[] inner = in.rowDims();
        long[] dims = new long[inner.length + 1];
        dims[0] = rows;
        System.arraycopy(inner, 0, dims, 1, inner.length);
        Tensor t = new Tensor(spec.name(), DataType.FP32, Shape.of(dims), new TensorData.Packed(in.packed()));
        return new Decoded(new InferRequest(null, model, version, List.of(t), List.of(), Map.of()), true);
    }

    /** Any predict body, token by token. */
    static Decoded general(ByteSlice body, ModelSignature signature, String model, OptionalLong version) {
        String signatureName = null;
        String rowField = null;
        List<Tensor> rows = null;
        List<Tensor> columns = null;
        try (JsonParser p = Json.FACTORY.createParser(body.array(), body.offset(), body.length())) {
            Json.expect(p, JsonToken.START_OBJECT, "a JSON object {\"instances\": [...]} or {\"inputs\": ...}");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                switch (p.currentName()) {
                    case "signature_name" -> {
                        signatureName = Json.string(p, "signature_name");
                        checkSignature(signatureName); // before the data, so its errors do not hide this one
                    }
                    case "instances", "predictions" -> {
                        // "predictions": a previous step's answer, as KServe's InferenceGraph router passes it on
                        // ({"data": "$response"}); read as the row format, like "instances"
                        if (rowField != null) {
                            throw new InvalidInputException("request has both '" + rowField + "' and '"
                                    + p.currentName() + "'; send one of them");
                        }
                        rowField = p.currentName();
                        p.nextToken();
                        rows = instances(p, signature, rowField);
                    }
                    case "inputs" -> {
                        p.nextToken();
                        columns = columnar(p, signature);
                    }
                    default -> Json.skipValue(p);
                }
            }
        } catch (IOException e) {
            throw Json.rethrow(e);
        }
        if (rows != null && columns != null) {
            throw new InvalidInputException("request has both '" + rowField + "' and 'inputs'; send one of them");
        }
        if (rows == null && columns == null) {
            throw new InvalidInputException("request needs 'instances' (row format) or 'inputs' (columnar format)");
        }
        List<Tensor> inputs = rows != null ? rows : columns;
        return new Decoded(new InferRequest(null, model, version, inputs, List.of(), Map.of()), rows != null);
    }

    private static List<Tensor> instances(JsonParser p, ModelSignature sig, String field) throws IOException {
        Json.require(p, JsonToken.START_ARRAY, "'" + field + "' to be a list with one entry per example");
        Map<String, NestedReader> readers = new LinkedHashMap<>();
        Map<String, TensorBuilder> builders = new LinkedHashMap<>();
        for (TensorSpec s : sig.inputs()) {
            TensorBuilder b = new TensorBuilder(s.name(), s.datatype(), instanceElements(s), true);
            builders.put(s.name(), b);
            readers.put(s.name(), new NestedReader(b, s.name(), true));
        }
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            JsonParser value = p;
            if (p.currentToken() == JsonToken.START_OBJECT
                    && sig.inputs().size() == 1
                    && sig.inputs().get(0).datatype() == DataType.BYTES) {
                // an object is either {"b64": ...} (the value) or {"name": value}: look before reading
                TokenBuffer buffered = new TokenBuffer(p);
                buffered.copyCurrentStructure(p);
                value = buffered.asParser();
                value.nextToken();
                if (b64Leaf(buffered, sig)) {
                    readers.get(sig.inputs().get(0).name()).read(value);
                    n++;
                    continue;
                }
            }
            if (value.currentToken() == JsonToken.START_OBJECT) {
                namedInstance(value, n, readers);
            } else if (sig.inputs().size() == 1) {
                readers.get(sig.inputs().get(0).name()).read(value);
            } else {
                throw new InvalidInputException("instance " + n + " must be an object naming each input ("
                        + names(sig) + ") because the model has " + sig.inputs().size() + " inputs; got "
                        + Json.describe(value, value.currentToken()));
            }
            n++;
        }
        if (n == 0) {
            throw new InvalidInputException("'" + field + "' is empty; send at least one example");
        }
        List<Tensor> out = new ArrayList<>();
        for (Map.Entry<String, NestedReader> e : readers.entrySet()) {
            NestedReader r = e.getValue();
            if (r.values() == 0) {
                continue;
            }
            long[] inner = r.dims();
            long[] dims = new long[inner.length + 1];
            dims[0] = n;
            System.arraycopy(inner, 0, dims, 1, inner.length);
            out.add(builders.get(e.getKey()).build(Shape.of(dims)));
        }
        return out;
    }

    /**
     * The elements of one instance when the signature fixes every non-batch dimension (784 for MNIST), so the
     * builder starts at the size a one-row request needs instead of growing to it; -1 when unknown.
     */
    private static long instanceElements(TensorSpec spec) {
        long[] dims = spec.shape().toArray();
        long n = 1;
        for (int i = 1; i < dims.length; i++) {
            if (dims[i] < 0) {
                return -1;
            }
            n *= dims[i];
        }
        return dims.length == 0 ? -1 : n;
    }

    private static void namedInstance(JsonParser p, int index, Map<String, NestedReader> readers) throws IOException {
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            NestedReader r = readers.get(name);
            if (r == null) {
                throw new InvalidInputException("instance " + index + " names unknown input '" + name
                        + "'; the model's inputs are " + String.join(", ", readers.keySet()));
            }
            if (r.values() != index) {
                throw new InvalidInputException("instance " + index + " gives input '" + name + "' twice");
            }
            p.nextToken();
            r.read(p);
            seen++;
        }
        if (seen != readers.size()) {
            List<String> missing = readers.entrySet().stream()
                    .filter(e -> e.getValue().values() <= index)
                    .map(Map.Entry::getKey)
                    .toList();
            throw new InvalidInputException("instance " + index + " lacks input(s) " + String.join(", ", missing)
                    + "; every instance must give every input");
        }
    }

    private static List<Tensor> columnar(JsonParser p, ModelSignature sig) throws IOException {
        JsonParser value = p;
        if (p.currentToken() == JsonToken.START_OBJECT) {
            TokenBuffer buffered = new TokenBuffer(p);
            buffered.copyCurrentStructure(p);
            value = buffered.asParser();
            value.nextToken();
            if (!b64Leaf(buffered, sig)) {
                List<Tensor> out = new ArrayList<>();
                while (value.nextToken() == JsonToken.FIELD_NAME) {
                    String name = value.currentName();
                    TensorSpec spec = sig.input(name)
                            .orElseThrow(() -> new InvalidInputException("'inputs' names unknown input '" + name
                                    + "'; the model's inputs are " + names(sig)));
                    value.nextToken();
                    out.add(column(value, spec));
                }
                return out;
            }
        }
        if (sig.inputs().size() != 1) {
            throw new InvalidInputException("'inputs' must be an object naming each input (" + names(sig)
                    + ") because the model has " + sig.inputs().size() + " inputs");
        }
        return List.of(column(value, sig.inputs().get(0)));
    }

    private static Tensor column(JsonParser p, TensorSpec spec) throws IOException {
        TensorBuilder b = new TensorBuilder(spec.name(), spec.datatype(), -1, true);
        NestedReader r = new NestedReader(b, spec.name(), true);
        r.read(p);
        return b.build(Shape.of(r.dims()));
    }

    /** True when a buffered object is a {@code {"b64": ...}} value rather than an object of named inputs. */
    private static boolean b64Leaf(TokenBuffer buffered, ModelSignature sig) throws IOException {
        if (sig.input("b64").isPresent()) {
            return false;
        }
        try (JsonParser peek = buffered.asParser()) {
            peek.nextToken();
            return peek.nextToken() == JsonToken.FIELD_NAME && "b64".equals(peek.currentName());
        }
    }

    private static String names(ModelSignature sig) {
        return sig.inputs().stream().map(TensorSpec::name).collect(Collectors.joining(", "));
    }
}
