package dev.pier.protocol.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pier.api.DataType;
import dev.pier.api.ModelMetadata;
import dev.pier.api.TensorSpec;
import java.util.List;

/**
 * Builds the OpenAPI 3.0 document of Pier's KServe V2 REST API for the models loaded now: the server-wide
 * operations (health, server metadata, model metadata and readiness, metrics) and, per model, an infer
 * operation whose request and response schemas name that model's tensors, their datatypes, ranks and fixed
 * dimensions. A pure function of its arguments; the caller decides when to rebuild (every request, since
 * models come and go).
 */
public final class OpenApiDocument {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private OpenApiDocument() {}

    public static ObjectNode build(String serverVersion, List<ModelMetadata> models) {
        ObjectNode doc = F.objectNode().put("openapi", "3.0.3");
        doc.putObject("info")
                .put("title", "Pier")
                .put("version", serverVersion)
                .put(
                        "description",
                        "KServe V2 inference protocol (REST) served by Pier. Errors answer {\"error\": \"...\"}.");
        ObjectNode paths = doc.putObject("paths");
        get(paths, "/v2/health/live", "serverLive", "health", "The server is live", null);
        get(
                paths,
                "/v2/health/ready",
                "serverReady",
                "health",
                "The server is ready (every model it must serve is loaded)",
                null);
        get(paths, "/v2", "serverMetadata", "server", "Server name, version and protocol extensions", null);
        get(
                paths,
                "/v2/models/{model}",
                "modelMetadata",
                "models",
                "A model's versions, platform, inputs and outputs",
                "model");
        get(paths, "/v2/models/{model}/ready", "modelReady", "models", "Whether a model can serve now", "model");
        ObjectNode metrics = paths.putObject("/metrics")
                .putObject("get")
                .put("operationId", "metrics")
                .put("summary", "Prometheus metrics (text exposition format 0.0.4)");
        metrics.putArray("tags").add("monitoring");
        metrics.putObject("responses")
                .putObject("200")
                .put("description", "metrics")
                .putObject("content")
                .putObject("text/plain")
                .putObject("schema")
                .put("type", "string");

        ObjectNode schemas = doc.putObject("components").putObject("schemas");
        ObjectNode error = schemas.putObject("Error").put("type", "object");
        error.putArray("required").add("error");
        error.putObject("properties").putObject("error").put("type", "string");
        for (ModelMetadata m : models) {
            String id = safe(m.name());
            schemas.set(id + "_InferRequest", request(m));
            schemas.set(id + "_InferResponse", response(m));
            ObjectNode post = paths.putObject("/v2/models/" + m.name() + "/infer")
                    .putObject("post")
                    .put("operationId", "infer_" + id)
                    .put("summary", "Run " + m.name() + " (latest ready version)");
            post.putArray("tags").add("inference");
            post.putObject("requestBody")
                    .put("required", true)
                    .putObject("content")
                    .putObject("application/json")
                    .putObject("schema")
                    .put("$ref", "#/components/schemas/" + id + "_InferRequest");
            ObjectNode responses = post.putObject("responses");
            responses
                    .putObject("200")
                    .put("description", "the outputs")
                    .putObject("content")
                    .putObject("application/json")
                    .putObject("schema")
                    .put("$ref", "#/components/schemas/" + id + "_InferResponse");
            for (String status : List.of("400", "404", "429", "503", "504")) {
                responses
                        .putObject(status)
                        .put(
                                "description",
                                switch (status) {
                                    case "400" -> "the request does not match the model's inputs";
                                    case "404" -> "no such model or version";
                                    case "429" -> "the model's queue is full";
                                    case "503" -> "not loaded, or the server is shutting down";
                                    default -> "the deadline passed before the model ran";
                                })
                        .putObject("content")
                        .putObject("application/json")
                        .putObject("schema")
                        .put("$ref", "#/components/schemas/Error");
            }
        }
        return doc;
    }

    private static void get(
            ObjectNode paths, String path, String operationId, String tag, String summary, String param) {
        ObjectNode op = paths.putObject(path)
                .putObject("get")
                .put("operationId", operationId)
                .put("summary", summary);
        op.putArray("tags").add(tag);
        if (param != null) {
            op.putArray("parameters")
                    .addObject()
                    .put("name", param)
                    .put("in", "path")
                    .put("required", true)
                    .putObject("schema")
                    .put("type", "string");
        }
        op.putObject("responses").putObject("200").put("description", "OK");
    }

    private static ObjectNode request(ModelMetadata m) {
        ObjectNode schema = F.objectNode()
                .put("type", "object")
                .put(
                        "description",
                        "Inputs of " + m.name() + " (version " + m.version() + " when this document was made)");
        schema.putArray("required").add("inputs");
        ObjectNode props = schema.putObject("properties");
        props.putObject("id").put("type", "string").put("description", "echoed in the response");
        props.putObject("parameters").put("type", "object");
        props.set("inputs", tensors(m.signature().inputs()));
        ObjectNode outputs =
                props.putObject("outputs").put("type", "array").put("description", "outputs to return (default: all)");
        ObjectNode item = outputs.putObject("items").put("type", "object");
        item.putArray("required").add("name");
        ArrayNode names = item.putObject("properties")
                .putObject("name")
                .put("type", "string")
                .putArray("enum");
        m.signature().outputs().forEach(t -> names.add(t.name()));
        ObjectNode example = F.objectNode();
        ArrayNode inputs = example.putArray("inputs");
        for (TensorSpec t : m.signature().inputs()) {
            inputs.add(exampleTensor(t));
        }
        schema.set("example", example);
        return schema;
    }

    private static ObjectNode response(ModelMetadata m) {
        ObjectNode schema = F.objectNode().put("type", "object");
        ObjectNode props = schema.putObject("properties");
        props.putObject("model_name").put("type", "string").putArray("enum").add(m.name());
        props.putObject("model_version").put("type", "string");
        props.putObject("id").put("type", "string");
        props.set("outputs", tensors(m.signature().outputs()));
        return schema;
    }

    /** An array of tensors, one schema per named tensor of the model (oneOf, told apart by name). */
    private static ObjectNode tensors(List<TensorSpec> specs) {
        ObjectNode array = F.objectNode()
                .put("type", "array")
                .put("minItems", specs.isEmpty() ? 0 : 1)
                .put("maxItems", specs.size());
        ArrayNode oneOf = array.putObject("items").putArray("oneOf");
        specs.forEach(t -> oneOf.add(tensor(t)));
        return array;
    }

    static ObjectNode tensor(TensorSpec t) {
        ObjectNode schema = F.objectNode()
                .put("type", "object")
                .put("title", t.name())
                .put("description", t.name() + ": " + t.datatype() + " " + t.shape() + " (-1 = any size)");
        schema.putArray("required").add("name").add("datatype").add("shape").add("data");
        ObjectNode props = schema.putObject("properties");
        props.putObject("name").put("type", "string").putArray("enum").add(t.name());
        props.putObject("datatype")
                .put("type", "string")
                .putArray("enum")
                .add(t.datatype().name());
        long[] dims = t.shape().toArray();
        ObjectNode shape = props.putObject("shape")
                .put("type", "array")
                .put("minItems", dims.length)
                .put("maxItems", dims.length)
                .put("description", "dimensions; this tensor's are " + java.util.Arrays.toString(dims) + " (-1 = any)");
        shape.putObject("items").put("type", "integer").put("minimum", 0);
        props.putObject("data")
                .put("type", "array")
                .put("description", "the elements in row-major order")
                .set("items", element(t.datatype()));
        return schema;
    }

    private static ObjectNode element(DataType type) {
        return switch (type) {
            case BOOL -> F.objectNode().put("type", "boolean");
            case BYTES -> F.objectNode().put("type", "string");
            case FP16, BF16, FP32, FP64 -> F.objectNode().put("type", "number");
            case UINT8, UINT16, UINT32, UINT64 ->
                F.objectNode().put("type", "integer").put("minimum", 0);
            default -> F.objectNode().put("type", "integer");
        };
    }

    /** A tensor of this spec with every dynamic dimension 1, filled with zeros (false, ""). */
    private static JsonNode exampleTensor(TensorSpec t) {
        ObjectNode tensor = F.objectNode()
                .put("name", t.name())
                .put("datatype", t.datatype().name());
        ArrayNode shape = tensor.putArray("shape");
        long count = 1;
        for (long d : t.shape().toArray()) {
            long n = d < 0 ? 1 : d;
            shape.add(n);
            count *= n;
        }
        ArrayNode data = tensor.putArray("data");
        for (long i = 0; i < Math.min(count, 100_000); i++) {
            switch (t.datatype()) {
                case BOOL -> data.add(false);
                case BYTES -> data.add("");
                default -> data.add(0);
            }
        }
        return tensor;
    }

    /** Model names as component keys: OpenAPI allows only {@code [A-Za-z0-9._-]} there. */
    static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
