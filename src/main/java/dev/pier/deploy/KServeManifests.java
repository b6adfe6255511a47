package dev.pier.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a KServe ServingRuntime ({@code serving.kserve.io/v1alpha1}) that runs Pier for ONNX models over the
 * V2 protocol, and an InferenceService ({@code v1beta1}) that uses it, with {@code canaryTrafficPercent} for
 * canary rollouts. KServe's types are not in fabric8, so these are {@link GenericKubernetesResource}s whose
 * container part is still built from fabric8's typed {@link Container}. Stateless.
 */
public final class KServeManifests {

    public static final String GROUP_VERSION_RUNTIME = "serving.kserve.io/v1alpha1";
    public static final String GROUP_VERSION_ISVC = "serving.kserve.io/v1beta1";
    /** Where KServe's storage initializer puts the files of {@code storageUri}. */
    static final String KSERVE_MODEL_DIR = "/mnt/models";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private KServeManifests() {}

    /** ServingRuntime first, then the InferenceService that names it. */
    public static List<GenericKubernetesResource> build(KServeOptions o) {
        return List.of(servingRuntime(o), inferenceService(o));
    }

    static GenericKubernetesResource servingRuntime(KServeOptions o) {
        Map<String, Object> format = new LinkedHashMap<>();
        format.put("name", "onnx");
        format.put("version", "1");
        format.put("autoSelect", true);
        format.put("priority", 1);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("supportedModelFormats", List.of(format));
        spec.put("protocolVersions", List.of("v2", "grpc-v2"));
        spec.put("multiModel", false);
        spec.put(
                "annotations",
                Map.of(
                        "prometheus.kserve.io/port",
                        String.valueOf(PierEndpoints.REST_PORT),
                        "prometheus.kserve.io/path",
                        PierEndpoints.METRICS_PATH));
        spec.put("containers", List.of(SERIALIZATION.convertValue(container(o), Map.class)));
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(GROUP_VERSION_RUNTIME)
                .withKind("ServingRuntime")
                .withMetadata(meta(o, o.runtimeName()))
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }

    static GenericKubernetesResource inferenceService(KServeOptions o) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("modelFormat", Map.of("name", "onnx"));
        model.put("runtime", o.runtimeName());
        model.put("protocolVersion", "v2");
        o.storageUri().ifPresent(uri -> model.put("storageUri", uri));
        Map<String, Object> predictor = new LinkedHashMap<>();
        predictor.put("minReplicas", o.minReplicas());
        predictor.put("maxReplicas", o.maxReplicas());
        o.canaryPercent().ifPresent(c -> predictor.put("canaryTrafficPercent", c));
        predictor.put("model", model);
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(GROUP_VERSION_ISVC)
                .withKind("InferenceService")
                .withMetadata(meta(o, o.name()))
                .withAdditionalProperties(Map.of("spec", Map.of("predictor", predictor)))
                .build();
    }

    private static io.fabric8.kubernetes.api.model.ObjectMeta meta(KServeOptions o, String name) {
        ObjectMetaBuilder meta = new ObjectMetaBuilder()
                .withName(name)
                .addToLabels("app.kubernetes.io/name", o.name())
                .addToLabels("app.kubernetes.io/managed-by", "pier");
        o.namespace().ifPresent(meta::withNamespace);
        return meta.build();
    }

    /** KServe routes to the container's single port; Pier's REST port carries V2 REST, health and metrics. */
    static Container container(KServeOptions o) {
        String repository = o.storageUri().isPresent() ? KSERVE_MODEL_DIR : PierEndpoints.MODELS_DIR;
        var r = o.resources();
        return new ContainerBuilder()
                .withName("kserve-container")
                .withImage(o.image())
                .withArgs("serve", "--model-repository", repository)
                .addNewPort()
                .withName("http1")
                .withContainerPort(PierEndpoints.REST_PORT)
                .withProtocol("TCP")
                .endPort()
                .addNewEnv()
                .withName("JAVA_TOOL_OPTIONS")
                .withValue("-XX:MaxRAMPercentage=70")
                .endEnv()
                .withNewResources()
                .addToRequests("cpu", new Quantity(r.cpuRequest()))
                .addToRequests("memory", new Quantity(r.memoryRequest()))
                .addToLimits("cpu", new Quantity(r.cpuLimit()))
                .addToLimits("memory", new Quantity(r.memoryLimit()))
                .endResources()
                .withNewReadinessProbe()
                .withNewHttpGet()
                .withPath(PierEndpoints.READY_PATH)
                .withPort(new IntOrString(PierEndpoints.REST_PORT))
                .endHttpGet()
                .withPeriodSeconds(5)
                .endReadinessProbe()
                .withNewLivenessProbe()
                .withNewHttpGet()
                .withPath(PierEndpoints.LIVE_PATH)
                .withPort(new IntOrString(PierEndpoints.REST_PORT))
                .endHttpGet()
                .withPeriodSeconds(10)
                .withFailureThreshold(3)
                .withInitialDelaySeconds(10)
                .endLivenessProbe()
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withRunAsNonRoot(true)
                .withRunAsUser(PierEndpoints.USER_ID)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .build();
    }
}
