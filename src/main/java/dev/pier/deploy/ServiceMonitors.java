package dev.pier.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.List;
import java.util.Map;

/**
 * A prometheus-operator {@code ServiceMonitor} ({@code monitoring.coreos.com/v1}) for the Service that
 * {@link KubernetesManifests} writes: Prometheus scrapes {@code /metrics} on the REST port of every pod behind it.
 * For clusters that run the operator (kube-prometheus-stack); without it the pods' {@code prometheus.io/*}
 * annotations serve the annotation-based scrape configs. The operator's CRD is not part of Kubernetes, so the
 * object is an untyped resource. Stateless.
 */
public final class ServiceMonitors {
    public static final String API_VERSION = "monitoring.coreos.com/v1";
    /** How often Prometheus scrapes each pod (the operator's default is Prometheus's global, often 1 min). */
    static final String INTERVAL = "15s";

    private ServiceMonitors() {}

    public static GenericKubernetesResource build(KubernetesDeployOptions o) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(API_VERSION)
                .withKind("ServiceMonitor")
                .withMetadata(KubernetesManifests.metadata(o, o.name()))
                .addToAdditionalProperties(
                        "spec",
                        Map.of(
                                "selector", Map.of("matchLabels", KubernetesManifests.selector(o)),
                                "endpoints",
                                        List.of(Map.of(
                                                "port",
                                                PierEndpoints.REST_PORT_NAME,
                                                "path",
                                                PierEndpoints.METRICS_PATH,
                                                "interval",
                                                INTERVAL,
                                                "scheme",
                                                "http"))))
                .build();
    }
}
