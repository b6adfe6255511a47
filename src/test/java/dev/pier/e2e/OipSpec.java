package dev.pier.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;

/**
 * The Open Inference Protocol's own specification, read where the project's shared folder keeps it
 * ({@code ../shared/oip-spec}, never copied here): its OpenAPI document's paths and schemas, applied with
 * networknt's JSON-schema validator, and the descriptor set that the build compiles from its gRPC proto at test
 * time. Tests call {@link #assumePresent} first, so they skip with a message where the folder is absent.
 */
final class OipSpec {
    static final Path ROOT = Path.of("").toAbsolutePath().getParent().resolve("shared/oip-spec");
    static final Path REST = ROOT.resolve("open_inference_rest.yaml");
    static final Path GRPC = ROOT.resolve("open_inference_grpc.proto");
    /** Written by the pom's oip-spec-descriptor execution (protoc over {@link #GRPC}) at test-compile time. */
    static final Path GRPC_DESCRIPTOR =
            Path.of("target/oip-spec/open_inference_grpc.desc").toAbsolutePath();

    // OpenAPI 3.0's schema objects are a draft-4 subset (plus keywords a validator ignores)
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();
    private static JsonNode document;

    private OipSpec() {}

    static void assumePresent() {
        Assumptions.assumeTrue(
                Files.isRegularFile(REST) && Files.isRegularFile(GRPC),
                "Open Inference Protocol spec not" + " found at " + ROOT
                        + " (../shared/oip-spec of the project): spec conformance checks skipped");
    }

    static synchronized JsonNode document() {
        if (document == null) {
            try {
                document = new YAMLMapper().readTree(REST.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return document;
    }

    /** The operation of a spec path, e.g. {@code ("/v2/models/${MODEL_NAME}/versions/${MODEL_VERSION}/infer", "post")}. */
    static JsonNode operation(String pathTemplate, String method) {
        JsonNode op = document().path("paths").path(pathTemplate).path(method);
        if (op.isMissingNode()) {
            throw new AssertionError("the spec has no " + method + " " + pathTemplate + "; it has "
                    + names(document().path("paths")));
        }
        return op;
    }

    /** True when the spec documents {@code status} as an answer of the operation. */
    static boolean documents(String pathTemplate, String method, int status) {
        return operation(pathTemplate, method).path("responses").has(Integer.toString(status));
    }

    /** The schema name the spec gives the JSON body of an answer, e.g. {@code inference_response}. */
    static String responseSchema(String pathTemplate, String method, int status) {
        JsonNode ref = operation(pathTemplate, method)
                .path("responses")
                .path(Integer.toString(status))
                .path("content")
                .path("application/json")
                .path("schema")
                .path("$ref");
        if (!ref.isTextual()) {
            throw new AssertionError(
                    "the spec gives no JSON body schema for " + status + " of " + method + " " + pathTemplate);
        }
        return ref.asText().substring(ref.asText().lastIndexOf('/') + 1);
    }

    /** Violations of {@code body} against {@code #/components/schemas/NAME}; empty when it conforms. */
    static Set<ValidationMessage> validate(String schemaName, JsonNode body) {
        if (!document().path("components").path("schemas").has(schemaName)) {
            throw new AssertionError("the spec has no schema " + schemaName);
        }
        return SCHEMAS.computeIfAbsent(schemaName, n -> {
                    // the whole document as the root, so the schemas' own $refs resolve; draft 4 reads only the $ref
                    ObjectNode root = document().deepCopy();
                    root.put("$ref", "#/components/schemas/" + n);
                    return FACTORY.getSchema(root);
                })
                .validate(body);
    }

    private static String names(JsonNode object) {
        StringBuilder b = new StringBuilder();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            b.append(b.isEmpty() ? "" : ", ").append(it.next());
        }
        return b.toString();
    }
}
