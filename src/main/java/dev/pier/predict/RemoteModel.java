package dev.pier.predict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.DataType;
import dev.pier.api.ModelSignature;
import dev.pier.api.Shape;
import dev.pier.api.TensorSpec;
import dev.pier.protocol.grpc.v2.ModelMetadataResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the client learned about a model from the server's metadata: its signature and free-form properties
 * (for instance {@code labels.<output>}: comma-separated class labels). Immutable.
 */
public record RemoteModel(String name, ModelSignature signature, Map<String, String> properties) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public RemoteModel {
        properties = Map.copyOf(properties);
    }

    /** Class labels for one output, when the metadata carries {@code labels.<output>}. */
    public Optional<List<String>> labels(String output) {
        String text = properties.get("labels." + output);
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(List.of(text.split("\\s*[,\\n]\\s*")));
    }

    /** Parses a V2 REST model metadata body ({@code GET /v2/models/{m}}). */
    public static RemoteModel fromV2Json(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("server sent model metadata that is not JSON: " + e.getMessage());
        }
        Map<String, String> props = new LinkedHashMap<>();
        for (String field : List.of("parameters", "properties")) {
            JsonNode p = root.path(field);
            p.fieldNames().forEachRemaining(k -> props.put(k, p.get(k).asText()));
        }
        return new RemoteModel(
                root.path("name").asText(),
                new ModelSignature(specs(root.path("inputs")), specs(root.path("outputs"))),
                props);
    }

    /** Parses a TF Serving metadata body ({@code GET /v1/models/{m}/metadata}), signature serving_default. */
    public static RemoteModel fromTfJson(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("server sent model metadata that is not JSON: " + e.getMessage());
        }
        JsonNode sig = root.path("metadata")
                .path("signature_def")
                .path("signature_def")
                .path("serving_default");
        return new RemoteModel(
                root.path("model_spec").path("name").asText(),
                new ModelSignature(tfSpecs(sig.path("inputs")), tfSpecs(sig.path("outputs"))),
                Map.of());
    }

    private static List<TensorSpec> tfSpecs(JsonNode object) {
        List<TensorSpec> out = new ArrayList<>();
        object.properties().forEach(e -> {
            JsonNode dimsNode = e.getValue().path("tensor_shape").path("dim");
            long[] dims = new long[dimsNode.size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = dimsNode.get(i).path("size").asLong(-1);
            }
            String dtype = e.getValue().path("dtype").asText();
            DataType type = java.util.Arrays.stream(DataType.values())
                    .filter(t -> dtype.equals(dev.pier.protocol.tfserving.TfServingJson.dtype(t)))
                    .findFirst()
                    .orElseThrow(() ->
                            new IllegalArgumentException("server metadata names an unknown dtype '" + dtype + "'"));
            out.add(new TensorSpec(e.getKey(), type, Shape.of(dims)));
        });
        return out;
    }

    /** Converts a V2 gRPC ModelMetadata answer. */
    public static RemoteModel fromProto(ModelMetadataResponse r) {
        return new RemoteModel(
                r.getName(),
                new ModelSignature(
                        r.getInputsList().stream().map(RemoteModel::spec).toList(),
                        r.getOutputsList().stream().map(RemoteModel::spec).toList()),
                Map.of());
    }

    private static TensorSpec spec(ModelMetadataResponse.TensorMetadata t) {
        return new TensorSpec(
                t.getName(),
                type(t.getDatatype()),
                Shape.of(t.getShapeList().stream().mapToLong(Long::longValue).toArray()));
    }

    private static List<TensorSpec> specs(JsonNode array) {
        List<TensorSpec> out = new ArrayList<>();
        for (JsonNode t : array) {
            long[] dims = new long[t.path("shape").size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = t.path("shape").get(i).asLong();
            }
            out.add(new TensorSpec(
                    t.path("name").asText(), type(t.path("datatype").asText()), Shape.of(dims)));
        }
        return out;
    }

    private static DataType type(String wire) {
        return DataType.fromWireName(wire)
                .orElseThrow(
                        () -> new IllegalArgumentException("server metadata names an unknown datatype '" + wire + "'"));
    }
}
