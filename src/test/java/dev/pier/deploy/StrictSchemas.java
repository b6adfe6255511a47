package dev.pier.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;

/**
 * Validates manifests strictly against the Kubernetes 1.35 OpenAPI v3 schemas and the KServe CRD schemas kept
 * in {@code ../shared/k8s-schemas} (see its PROVENANCE.md). Strict means an unknown field is an error: every
 * schema that lists {@code properties} and neither allows {@code additionalProperties} nor preserves unknown
 * fields gets {@code additionalProperties: false}, as the API server's strict field validation does. OpenAPI's
 * {@code #/components/schemas/X} refs are rewritten to {@code #/definitions/X} of a draft-4 document that embeds
 * all components. Maps ({@code additionalProperties: {...}}) are left alone. Thread-safe (caches are concurrent).
 */
final class StrictSchemas {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent().resolve("shared/k8s-schemas");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    private static final Map<String, JsonNode> COMPONENTS = new ConcurrentHashMap<>();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    /** Core API groups to the file that holds them. */
    private static final Map<String, String> FILES = Map.of(
            "v1", "k8s-1.35/api_v1.json",
            "apps/v1", "k8s-1.35/apis_apps_v1.json",
            "autoscaling/v2", "k8s-1.35/apis_autoscaling_v2.json",
            "policy/v1", "k8s-1.35/apis_policy_v1.json",
            "serving.kserve.io/v1beta1", "kserve/serving.kserve.io_inferenceservices.yaml",
            "serving.kserve.io/v1alpha1", "kserve/serving.kserve.io_servingruntimes.yaml");

    /** Kinds whose CRD file is not the one of their apiVersion (KServe's v1alpha1 holds several CRDs). */
    private static final Map<String, String> KIND_FILES =
            Map.of("serving.kserve.io/v1alpha1/InferenceGraph", "kserve/serving.kserve.io_inferencegraphs.yaml");

    private StrictSchemas() {}

    /** Skips the calling test, saying why, when the shared schemas are not next to the project. */
    static void assumePresent() {
        Assumptions.assumeTrue(
                Files.isDirectory(ROOT.resolve("k8s-1.35")) && Files.isDirectory(ROOT.resolve("kserve")),
                "Kubernetes/KServe schemas not found at " + ROOT + " (../shared/k8s-schemas of the project): "
                        + "strict manifest validation skipped");
    }

    static JsonNode readYaml(Path file) throws IOException {
        return YAML.readTree(file.toFile());
    }

    /** All violations of {@code manifest} against the schema of its apiVersion/kind; empty when valid. */
    static Set<ValidationMessage> validate(JsonNode manifest) {
        String apiVersion = manifest.path("apiVersion").asText();
        String kind = manifest.path("kind").asText();
        if (!FILES.containsKey(apiVersion)) {
            throw new IllegalArgumentException("no schema file for apiVersion " + apiVersion);
        }
        return SCHEMAS.computeIfAbsent(apiVersion + "/" + kind, k -> compile(apiVersion, kind))
                .validate(manifest);
    }

    private static JsonSchema compile(String apiVersion, String kind) {
        String file = KIND_FILES.getOrDefault(apiVersion + "/" + kind, FILES.get(apiVersion));
        ObjectNode root = JSON.createObjectNode();
        if (file.endsWith(".json")) {
            JsonNode components = COMPONENTS.computeIfAbsent(file, StrictSchemas::components);
            String name = schemaFor(components, apiVersion, kind);
            root.set("definitions", components);
            root.put("$ref", "#/definitions/" + name);
        } else {
            JsonNode crd = read(ROOT.resolve(file), YAML);
            String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
            JsonNode schema = null;
            for (JsonNode v : crd.path("spec").path("versions")) {
                if (v.path("name").asText().equals(version)) {
                    schema = v.path("schema").path("openAPIV3Schema").deepCopy();
                }
            }
            if (schema == null
                    || !crd.path("spec").path("names").path("kind").asText().equals(kind)) {
                throw new IllegalArgumentException(file + " has no " + kind + " " + version);
            }
            strict(schema);
            root = (ObjectNode) schema;
        }
        return FACTORY.getSchema(root, SchemaValidatorsConfig.builder().build());
    }

    private static JsonNode components(String file) {
        JsonNode schemas = read(ROOT.resolve(file), JSON)
                .path("components")
                .path("schemas")
                .deepCopy();
        strictAll(schemas);
        return schemas;
    }

    private static String schemaFor(JsonNode components, String apiVersion, String kind) {
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        for (Iterator<Map.Entry<String, JsonNode>> it = components.fields(); it.hasNext(); ) {
            var e = it.next();
            for (JsonNode gvk : e.getValue().path("x-kubernetes-group-version-kind")) {
                if (gvk.path("group").asText().equals(group)
                        && gvk.path("version").asText().equals(version)
                        && gvk.path("kind").asText().equals(kind)) {
                    return e.getKey();
                }
            }
        }
        throw new IllegalArgumentException("no schema for " + apiVersion + " " + kind);
    }

    /** Closes every schema of a name-to-schema map (components.schemas). */
    private static void strictAll(JsonNode schemas) {
        schemas.elements().forEachRemaining(StrictSchemas::strict);
    }

    /**
     * Rewrites refs and closes the object schema {@code node} if it lists properties, then recurses into its
     * subschemas only (property names are data, not schemas).
     */
    private static void strict(JsonNode node) {
        if (!(node instanceof ObjectNode o)) {
            return;
        }
        JsonNode ref = o.get("$ref");
        if (ref != null && ref.isTextual() && ref.asText().startsWith("#/components/schemas/")) {
            o.set(
                    "$ref",
                    TextNode.valueOf("#/definitions/" + ref.asText().substring("#/components/schemas/".length())));
        }
        if (o.path("properties").isObject()
                && !o.has("additionalProperties")
                && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            o.put("additionalProperties", false);
        }
        if (o.path("properties").isObject()) {
            strictAll(o.get("properties"));
        }
        for (String key : List.of("items", "additionalProperties", "not")) {
            strict(o.get(key));
        }
        for (String key : List.of("allOf", "anyOf", "oneOf")) {
            if (o.path(key).isArray()) {
                o.get(key).forEach(StrictSchemas::strict);
            }
        }
    }

    private static JsonNode read(Path file, ObjectMapper mapper) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
