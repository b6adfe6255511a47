package dev.pier.protocol.kserve;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Tensor;
import dev.pier.protocol.codec.ByteSlice;
import dev.pier.protocol.codec.ExactBytes;
import dev.pier.protocol.codec.Json;
import dev.pier.protocol.codec.RawTensors;
import dev.pier.protocol.codec.TensorWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * KServe V2 inference messages in JSON, with the binary tensor data extension, in both directions: the server
 * decodes requests and encodes responses; {@link dev.pier.protocol.client} encodes requests and decodes
 * responses. Streaming Jackson throughout (no tree model). Stateless; thread-safe.
 */
public final class V2Codec {
    /** Header giving the JSON part's length when binary tensor data follows it. */
    public static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    /** An encoded message: {@code jsonLength} is -1 for pure JSON, else the JSON prefix length. */
    public record Encoded(byte[] body, int jsonLength) {
        public boolean binary() {
            return jsonLength >= 0;
        }
    }

    private V2Codec() {}

    /** Decodes an infer request body; {@code jsonLength} is the header value or -1 when absent. */
    public static InferRequest decodeRequest(byte[] body, int jsonLength, String model, OptionalLong version) {
        return decodeRequest(ByteSlice.of(body), jsonLength, model, version);
    }

    /** Decodes an infer request body where the HTTP layer holds it (no copy of the bytes). */
    public static InferRequest decodeRequest(ByteSlice body, int jsonLength, String model, OptionalLong version) {
        if (jsonLength < 0) {
            // the common one-input FP32 body straight from the bytes; anything else token by token below
            InferRequest dense = V2DenseDecoder.decode(body, model, version);
            if (dense != null) {
                return dense;
            }
        }
        return decodeGeneral(body, jsonLength, model, version);
    }

    /** Any infer request body, token by token. */
    static InferRequest decodeGeneral(ByteSlice body, int jsonLength, String model, OptionalLong version) {
        int json = jsonLength(body.length(), jsonLength);
        BinarySection binary = new BinarySection(body.array(), body.offset() + json, body.offset() + body.length());
        String id = null;
        Map<String, Object> parameters = Map.of();
        List<Tensor> inputs = null;
        List<InferRequest.RequestedOutput> outputs = List.of();
        try (JsonParser p = Json.FACTORY.createParser(body.array(), body.offset(), json)) {
            Json.expect(p, JsonToken.START_OBJECT, "a JSON object {\"inputs\": [...]} as the request body");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                switch (p.currentName()) {
                    case "id" -> id = Json.string(p, "id");
                    case "parameters" -> parameters = Json.parameters(p, "parameters");
                    case "inputs" -> inputs = tensors(p, "input", binary);
                    case "outputs" -> outputs = requestedOutputs(p);
                    default -> Json.skipValue(p);
                }
            }
        } catch (IOException e) {
            throw rethrow(e);
        }
        if (inputs == null) {
            throw new InvalidInputException("request has no 'inputs' array; expected {\"inputs\": [{\"name\", "
                    + "\"shape\", \"datatype\", \"data\"}, ...]}");
        }
        binary.requireConsumed();
        return new InferRequest(id, model, version, inputs, outputs, parameters);
    }

    /** Encodes a response; outputs go binary when the request asked for it per output or with binary_data_output. */
    public static Encoded encodeResponse(InferResponse response, InferRequest request) {
        boolean allBinary = Boolean.TRUE.equals(request.parameters().get("binary_data_output"));
        List<Boolean> binary = new ArrayList<>(response.outputs().size());
        for (Tensor t : response.outputs()) {
            Object b = binaryDataParameter(request.outputs(), t.name());
            binary.add(b == null ? allBinary : Boolean.TRUE.equals(b));
        }
        return encode(
                g -> {
                    g.writeStringField("model_name", response.model());
                    g.writeStringField("model_version", Long.toString(response.version()));
                    if (response.id() != null) {
                        g.writeStringField("id", response.id());
                    }
                    writeParameters(g, response.parameters());
                },
                "outputs",
                response.outputs(),
                binary);
    }

    /** The {@code binary_data} parameter of the requested output named {@code name}, or null (a few outputs: a scan). */
    private static Object binaryDataParameter(List<InferRequest.RequestedOutput> requested, String name) {
        for (InferRequest.RequestedOutput o : requested) {
            if (o.name().equals(name)) {
                return o.parameters().get("binary_data");
            }
        }
        return null;
    }

    /** Encodes a request (client side), every input binary when {@code binaryInputs}. */
    public static Encoded encodeRequest(InferRequest request, boolean binaryInputs) {
        List<Boolean> binary = new ArrayList<>();
        request.inputs().forEach(t -> binary.add(binaryInputs));
        return encode(
                g -> {
                    if (request.id() != null) {
                        g.writeStringField("id", request.id());
                    }
                    writeParameters(g, request.parameters());
                },
                "inputs",
                request.inputs(),
                binary,
                request.outputs());
    }

    /** Decodes a response (client side). */
    public static InferResponse decodeResponse(byte[] body, int jsonLength) {
        int json = jsonLength(body.length, jsonLength);
        BinarySection binary = new BinarySection(body, json, body.length);
        String id = null;
        String model = null;
        long version = 0;
        Map<String, Object> parameters = Map.of();
        List<Tensor> outputs = List.of();
        try (JsonParser p = Json.FACTORY.createParser(body, 0, json)) {
            Json.expect(p, JsonToken.START_OBJECT, "a JSON object as the response body");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                switch (p.currentName()) {
                    case "id" -> id = Json.string(p, "id");
                    case "model_name" -> model = Json.string(p, "model_name");
                    case "model_version" -> {
                        String v = Json.string(p, "model_version");
                        version = v == null || v.isEmpty() ? 0 : Long.parseLong(v);
                    }
                    case "parameters" -> parameters = Json.parameters(p, "parameters");
                    case "outputs" -> outputs = tensors(p, "output", binary);
                    default -> Json.skipValue(p);
                }
            }
        } catch (IOException e) {
            throw rethrow(e);
        }
        return new InferResponse(id, model, version, outputs, parameters);
    }

    private static int jsonLength(int bodyLength, int jsonLength) {
        if (jsonLength < 0) {
            return bodyLength;
        }
        if (jsonLength > bodyLength) {
            throw new InvalidInputException(
                    HEADER_LENGTH + " is " + jsonLength + " but the body has only " + bodyLength + " bytes");
        }
        return jsonLength;
    }

    private static List<Tensor> tensors(JsonParser p, String role, BinarySection binary) throws IOException {
        Json.expect(p, JsonToken.START_ARRAY, "'" + role + "s' to be an array of tensor objects");
        List<Tensor> out = new ArrayList<>(2);
        Set<String> names = null; // made once a message has many tensors; a scan costs less for a handful
        while (p.nextToken() != JsonToken.END_ARRAY) {
            Tensor t = V2TensorReader.read(p, role, out.size(), binary);
            boolean repeated = false;
            if (names == null && out.size() < 8) {
                for (Tensor seen : out) {
                    repeated |= seen.name().equals(t.name());
                }
            } else {
                if (names == null) {
                    names = new HashSet<>();
                    for (Tensor seen : out) {
                        names.add(seen.name());
                    }
                }
                repeated = !names.add(t.name());
            }
            if (repeated) {
                throw new InvalidInputException(role + " '" + t.name() + "' appears more than once");
            }
            out.add(t);
        }
        return out;
    }

    private static List<InferRequest.RequestedOutput> requestedOutputs(JsonParser p) throws IOException {
        Json.expect(p, JsonToken.START_ARRAY, "'outputs' to be an array of {\"name\", \"parameters\"} objects");
        List<InferRequest.RequestedOutput> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            Json.require(p, JsonToken.START_OBJECT, "output " + out.size() + " to be an object {\"name\": ...}");
            String name = null;
            Map<String, Object> params = Map.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                switch (p.currentName()) {
                    case "name" -> name = Json.string(p, "outputs[" + out.size() + "].name");
                    case "parameters" -> params = Json.parameters(p, "outputs[" + out.size() + "].parameters");
                    default -> Json.skipValue(p);
                }
            }
            if (name == null || name.isEmpty()) {
                throw new InvalidInputException("requested output " + out.size() + ": 'name' is required");
            }
            out.add(new InferRequest.RequestedOutput(name, params));
        }
        return out;
    }

    private interface Header {
        void write(JsonGenerator g) throws IOException;
    }

    private static Encoded encode(Header header, String field, List<Tensor> tensors, List<Boolean> binary) {
        return encode(header, field, tensors, binary, List.of());
    }

    private static Encoded encode(
            Header header,
            String field,
            List<Tensor> tensors,
            List<Boolean> binary,
            List<InferRequest.RequestedOutput> requested) {
        ExactBytes out = new ExactBytes();
        boolean anyBinary = binary.contains(Boolean.TRUE);
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            header.write(g);
            g.writeArrayFieldStart(field);
            for (int i = 0; i < tensors.size(); i++) {
                Tensor t = tensors.get(i);
                g.writeStartObject();
                V2TensorHeader.write(g, t.name(), t.datatype(), t.shape());
                if (binary.get(i)) {
                    g.writeObjectFieldStart("parameters");
                    g.writeNumberField("binary_data_size", RawTensors.size(t));
                    g.writeEndObject();
                } else {
                    g.writeFieldName("data");
                    new TensorWriter(t, TensorWriter.StringStyle.TEXT, TensorWriter.NonFinite.REFUSE).writeFlat(g);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            if (!requested.isEmpty()) {
                g.writeArrayFieldStart("outputs");
                for (InferRequest.RequestedOutput o : requested) {
                    g.writeStartObject();
                    g.writeStringField("name", o.name());
                    writeParameters(g, o.parameters());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] json = out.toByteArray();
        if (!anyBinary) {
            return new Encoded(json, -1);
        }
        // one array of the message's exact size: the JSON part, then each binary tensor copied once from its own
        // bytes (no intermediate array per tensor, no growing and trimming)
        long total = json.length;
        for (int i = 0; i < tensors.size(); i++) {
            if (binary.get(i)) {
                total += RawTensors.size(tensors.get(i));
            }
        }
        byte[] body = Arrays.copyOf(json, Math.toIntExact(total));
        int at = json.length;
        for (int i = 0; i < tensors.size(); i++) {
            if (binary.get(i)) {
                at = RawTensors.write(tensors.get(i), body, at);
            }
        }
        return new Encoded(body, json.length);
    }

    static void writeParameters(JsonGenerator g, Map<String, Object> parameters) throws IOException {
        if (parameters.isEmpty()) {
            return;
        }
        g.writeObjectFieldStart("parameters");
        for (Map.Entry<String, Object> e : parameters.entrySet()) {
            g.writeFieldName(e.getKey());
            switch (e.getValue()) {
                case Boolean b -> g.writeBoolean(b);
                case Long l -> g.writeNumber(l);
                case Integer i -> g.writeNumber(i);
                case Double d -> g.writeNumber(d);
                case Float f -> g.writeNumber(f);
                default -> g.writeString(String.valueOf(e.getValue()));
            }
        }
        g.writeEndObject();
    }

    static RuntimeException rethrow(IOException e) {
        return Json.rethrow(e);
    }
}
