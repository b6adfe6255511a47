package dev.pier.deploy;

import dev.pier.repository.EnsembleScheduling;
import dev.pier.repository.ModelConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An ensemble of config.yaml spread over several KServe InferenceServices: the ServingRuntime, one InferenceService
 * per composing model (each runs Pier with the same image and serves that model), and a KServe
 * {@code InferenceGraph} ({@code serving.kserve.io/v1alpha1}) whose root {@code Sequence} calls them in an order that
 * respects the ensemble's data flow (the first step gets the client's request, each later one the previous
 * answer, KServe's {@code $request}/{@code $response}). KServe's router passes whole JSON bodies, not named tensors,
 * so a graph whose steps exchange several tensors is better served in one process as a Pier ensemble; this is
 * for graphs whose steps are sized and scaled apart. Stateless.
 */
public final class KServeGraph {
    public static final String GROUP_VERSION = "serving.kserve.io/v1alpha1";

    private KServeGraph() {}

    /**
     * @param o        the options of the services (their names are {@code o.name() + "-" + model})
     * @param ensemble the ensemble's name
     * @param config   its config.yaml (must be {@code platform: ensemble})
     */
    public static List<GenericKubernetesResource> build(KServeOptions o, String ensemble, ModelConfig config) {
        if (!config.isEnsemble()) {
            throw new IllegalArgumentException("--graph needs an ensemble (platform: ensemble), but model '" + ensemble
                    + "' is platform '" + config.platformOrDefault() + "'");
        }
        List<EnsembleScheduling.Step> order = dataFlowOrder(ensemble, config);
        List<GenericKubernetesResource> out = new ArrayList<>();
        out.add(KServeManifests.servingRuntime(o));
        Set<String> services = new LinkedHashSet<>();
        List<Map<String, Object>> steps = new ArrayList<>();
        for (EnsembleScheduling.Step s : order) {
            String service = serviceName(o.name(), s.modelName());
            if (services.add(service)) {
                out.add(KServeManifests.inferenceService(new KServeOptions(
                        service,
                        o.runtimeName(),
                        o.namespace(),
                        o.image(),
                        o.canaryPercent(),
                        o.minReplicas(),
                        o.maxReplicas(),
                        o.storageUri(),
                        o.resources())));
            }
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("name", kubeName(s.modelName()));
            step.put("serviceName", service);
            // Pier serves TF Serving's REST API under the model's own name (KServe's default URL uses the service name)
            String host = service + "-predictor"
                    + o.namespace().map(ns -> "." + ns + ".svc.cluster.local").orElse("");
            step.put("serviceUrl", "http://" + host + "/v1/models/" + s.modelName() + ":predict");
            step.put("data", steps.isEmpty() ? "$request" : "$response");
            step.put("dependency", "Hard");
            steps.add(step);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("routerType", "Sequence");
        root.put("steps", steps);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("nodes", Map.of("root", root));
        ObjectMetaBuilder meta = new ObjectMetaBuilder()
                .withName(kubeName(ensemble))
                .addToLabels("app.kubernetes.io/name", o.name())
                .addToLabels("app.kubernetes.io/managed-by", "pier");
        o.namespace().ifPresent(meta::withNamespace);
        out.add(new GenericKubernetesResourceBuilder()
                .withApiVersion(GROUP_VERSION)
                .withKind("InferenceGraph")
                .withMetadata(meta.build())
                .withAdditionalProperties(Map.of("spec", spec))
                .build());
        return out;
    }

    /** The steps in an order where each comes after the steps producing what it reads (stable, Kahn's algorithm). */
    static List<EnsembleScheduling.Step> dataFlowOrder(String ensemble, ModelConfig config) {
        List<EnsembleScheduling.Step> left =
                new ArrayList<>(config.ensembleScheduling().step());
        Set<String> available = new HashSet<>();
        config.input().forEach(t -> available.add(t.name()));
        List<EnsembleScheduling.Step> order = new ArrayList<>();
        while (!left.isEmpty()) {
            EnsembleScheduling.Step next = left.stream()
                    .filter(s -> available.containsAll(s.inputMap().values()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("ensemble '" + ensemble + "': steps "
                            + left.stream()
                                    .map(EnsembleScheduling.Step::modelName)
                                    .toList() + " read tensors no earlier step produces"
                            + " (a cycle, or a tensor produced by no step)"));
            left.remove(next);
            order.add(next);
            available.addAll(next.outputMap().values());
        }
        return order;
    }

    static String serviceName(String prefix, String model) {
        return kubeName(prefix + "-" + model);
    }

    /** A model name as a Kubernetes name: lower case, '_' and '.' as '-'. */
    static String kubeName(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '-').replace('.', '-');
    }
}
