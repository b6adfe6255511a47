package dev.pier.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the Kubernetes objects of one Pier deployment from {@link KubernetesDeployOptions}, with fabric8's
 * typed models: ConfigMap (models' {@code config.yaml}), Service, Deployment, HorizontalPodAutoscaler and
 * PodDisruptionBudget, in the order they should be applied. Stateless and thread-safe.
 */
public final class KubernetesManifests {

    /** Annotation holding the capacity-sizing reasoning. */
    public static final String SIZING_ANNOTATION = "pier.dev/sizing";

    private KubernetesManifests() {}

    /** All objects, apply order: config first, the Deployment before what refers to it. */
    public static List<HasMetadata> build(KubernetesDeployOptions o) {
        List<HasMetadata> out = new ArrayList<>();
        if (!o.modelConfigs().isEmpty()) {
            out.add(configMap(o));
        }
        out.add(service(o));
        out.add(PierPodTemplate.deployment(o));
        o.autoscale().ifPresent(a -> out.add(autoscaler(o, a)));
        out.add(disruptionBudget(o));
        return List.copyOf(out);
    }

    /** The labels every object carries; the first one is also the pod selector. */
    static Map<String, String> labels(KubernetesDeployOptions o) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.putAll(selector(o));
        labels.put("app.kubernetes.io/component", "inference-server");
        labels.put("app.kubernetes.io/managed-by", "pier");
        return labels;
    }

    static Map<String, String> selector(KubernetesDeployOptions o) {
        return Map.of("app.kubernetes.io/name", o.name());
    }

    static ObjectMeta metadata(KubernetesDeployOptions o, String name) {
        ObjectMetaBuilder meta = new ObjectMetaBuilder().withName(name).withLabels(labels(o));
        o.namespace().ifPresent(meta::withNamespace);
        return meta.build();
    }

    /** Metadata of the objects whose numbers the sizing chose (Deployment, HPA): they carry its reasoning. */
    static ObjectMeta sizedMetadata(KubernetesDeployOptions o, String name) {
        ObjectMeta meta = metadata(o, name);
        o.sizing()
                .ifPresent(s ->
                        meta.setAnnotations(new java.util.LinkedHashMap<>(Map.of(SIZING_ANNOTATION, s.reasoning()))));
        return meta;
    }

    static String configMapName(KubernetesDeployOptions o) {
        return o.name() + "-model-config";
    }

    /** ConfigMap keys cannot hold '/', so each model's file is {@code <model>.config.yaml}. */
    static String configKey(String model) {
        return model + ".config.yaml";
    }

    static ConfigMap configMap(KubernetesDeployOptions o) {
        Map<String, String> data = new TreeMap<>();
        o.modelConfigs().forEach((model, yaml) -> data.put(configKey(model), yaml));
        return new ConfigMapBuilder()
                .withMetadata(metadata(o, configMapName(o)))
                .withData(data)
                .build();
    }

    static Service service(KubernetesDeployOptions o) {
        return new ServiceBuilder()
                .withMetadata(metadata(o, o.name()))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(selector(o))
                .addNewPort()
                .withName(PierEndpoints.REST_PORT_NAME)
                .withPort(PierEndpoints.REST_PORT)
                .withTargetPort(new IntOrString(PierEndpoints.REST_PORT_NAME))
                .withProtocol("TCP")
                .withAppProtocol("http")
                .endPort()
                // h2c tells meshes and gateways this port speaks cleartext HTTP/2 (gRPC)
                .addNewPort()
                .withName(PierEndpoints.GRPC_PORT_NAME)
                .withPort(PierEndpoints.GRPC_PORT)
                .withTargetPort(new IntOrString(PierEndpoints.GRPC_PORT_NAME))
                .withProtocol("TCP")
                .withAppProtocol("kubernetes.io/h2c")
                .endPort()
                .endSpec()
                .build();
    }

    static HorizontalPodAutoscaler autoscaler(KubernetesDeployOptions o, KubernetesDeployOptions.Autoscale a) {
        List<MetricSpec> metrics = new ArrayList<>();
        metrics.add(new MetricSpecBuilder()
                .withType("Resource")
                .withNewResource()
                .withName("cpu")
                .withNewTarget()
                .withType("Utilization")
                .withAverageUtilization(a.cpuTargetPercent())
                .endTarget()
                .endResource()
                .build());
        a.podsMetric()
                .ifPresent(m -> metrics.add(new MetricSpecBuilder()
                        .withType("Pods")
                        .withNewPods()
                        .withNewMetric()
                        .withName(m.metricName())
                        .endMetric()
                        .withNewTarget()
                        .withType("AverageValue")
                        .withNewAverageValue(m.averageValue())
                        .endTarget()
                        .endPods()
                        .build()));
        return new HorizontalPodAutoscalerBuilder()
                .withMetadata(sizedMetadata(o, o.name()))
                .withNewSpec()
                .withNewScaleTargetRef()
                .withApiVersion("apps/v1")
                .withKind("Deployment")
                .withName(o.name())
                .endScaleTargetRef()
                .withMinReplicas(a.minReplicas())
                .withMaxReplicas(a.maxReplicas())
                .withMetrics(metrics)
                // scale up at once, scale down slowly: model loading makes new replicas expensive
                .withNewBehavior()
                .withNewScaleUp()
                .withStabilizationWindowSeconds(0)
                .endScaleUp()
                .withNewScaleDown()
                .withStabilizationWindowSeconds(300)
                .addNewPolicy()
                .withType("Percent")
                .withValue(50)
                .withPeriodSeconds(60)
                .endPolicy()
                .endScaleDown()
                .endBehavior()
                .endSpec()
                .build();
    }

    static PodDisruptionBudget disruptionBudget(KubernetesDeployOptions o) {
        // maxUnavailable rather than minAvailable: with one replica a minAvailable=1 budget blocks node drains forever
        return new PodDisruptionBudgetBuilder()
                .withMetadata(metadata(o, o.name()))
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                .withNewSelector()
                .withMatchLabels(selector(o))
                .endSelector()
                .withUnhealthyPodEvictionPolicy("AlwaysAllow")
                .endSpec()
                .build();
    }
}
