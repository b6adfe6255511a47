package dev.pier.deploy;

import dev.pier.api.DeadlineExceededException;
import dev.pier.api.UnavailableException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Applies manifests to a cluster with the fabric8 client: create each object or update it in place (so a
 * re-apply is idempotent, and keeps the replica count an HPA has set), with the API server's strict field
 * validation, optionally as a server-side dry run, then waits for each Deployment's rollout and, if it does not finish, says why (image pulls, crashes, failing
 * probes; see {@link RolloutDiagnosis}). Not thread-safe per instance; the client is borrowed, not closed.
 */
public final class ManifestApplier {

    /** What happened to one object. */
    public enum Action {
        CREATED,
        UPDATED
    }

    /** One applied object. */
    public record Applied(String kind, String namespace, String name, Action action) {
        @Override
        public String toString() {
            return kind + " " + (namespace == null ? "" : namespace + "/") + name + " "
                    + action.name().toLowerCase();
        }
    }

    private final KubernetesClient client;
    private final Duration pollInterval;

    public ManifestApplier(KubernetesClient client) {
        this(client, Duration.ofSeconds(2));
    }

    ManifestApplier(KubernetesClient client, Duration pollInterval) {
        this.client = Objects.requireNonNull(client, "client");
        this.pollInterval = pollInterval;
    }

    /**
     * Applies {@code objects} in order into {@code namespace} (or each object's own, or the client's default).
     *
     * @param dryRun  ask the server to validate and admit without persisting (nothing is waited for)
     * @param rollout how long to wait for Deployments to become available; zero or negative means do not wait
     */
    public List<Applied> apply(
            List<? extends HasMetadata> objects, String namespace, boolean dryRun, Duration rollout) {
        List<Applied> applied = new ArrayList<>();
        for (HasMetadata object : objects) {
            String ns = namespace != null
                    ? namespace
                    : object.getMetadata().getNamespace() != null
                            ? object.getMetadata().getNamespace()
                            : client.getNamespace() != null
                                    ? client.getNamespace()
                                    : "default"; // kubectl's default too
            String what =
                    object.getKind() + " " + ns + "/" + object.getMetadata().getName();
            try {
                HasMetadata current = client.resource(object).inNamespace(ns).get();
                boolean exists = current != null;
                if (object instanceof Deployment d && scaledByAutoscaler(objects, d)) {
                    // the manifest leaves the count to the HPA; a new Deployment starts at the HPA's minimum rather
                    // than Kubernetes' 1, a live one keeps what the HPA chose
                    object = exists
                            ? keepReplicas(d, (Deployment) current)
                            : withReplicas(d, autoscalerMinimum(objects, d));
                }
                Resource<HasMetadata> resource = client.resource(object).inNamespace(ns);
                NonDeletingOperation<HasMetadata> op =
                        resource.dryRun(dryRun).fieldValidation(FieldValidateable.Validation.STRICT);
                op.createOr(NonDeletingOperation::update);
                applied.add(new Applied(
                        object.getKind(),
                        ns,
                        object.getMetadata().getName(),
                        exists ? Action.UPDATED : Action.CREATED));
            } catch (KubernetesClientException e) {
                throw new UnavailableException(
                        "applying " + what + " failed: HTTP " + e.getCode() + " " + firstLine(e.getMessage()), e);
            }
        }
        if (!dryRun && rollout.isPositive()) {
            for (Applied a : applied) {
                if (a.kind().equals("Deployment")) {
                    awaitRollout(a.namespace(), a.name(), rollout);
                }
            }
        }
        return List.copyOf(applied);
    }

    private static boolean scaledByAutoscaler(List<? extends HasMetadata> objects, Deployment d) {
        return objects.stream()
                .anyMatch(o -> o instanceof HorizontalPodAutoscaler hpa
                        && "Deployment".equals(hpa.getSpec().getScaleTargetRef().getKind())
                        && d.getMetadata()
                                .getName()
                                .equals(hpa.getSpec().getScaleTargetRef().getName()));
    }

    /** The HPA owns the replica count of a live Deployment: a re-apply must not reset it to the initial value. */
    private static Deployment keepReplicas(Deployment wanted, Deployment live) {
        return withReplicas(wanted, live.getSpec().getReplicas());
    }

    private static Deployment withReplicas(Deployment wanted, Integer replicas) {
        Deployment copy = new DeploymentBuilder(wanted).build();
        copy.getSpec().setReplicas(replicas);
        return copy;
    }

    private static Integer autoscalerMinimum(List<? extends HasMetadata> objects, Deployment d) {
        return objects.stream()
                .filter(o -> o instanceof HorizontalPodAutoscaler hpa
                        && d.getMetadata()
                                .getName()
                                .equals(hpa.getSpec().getScaleTargetRef().getName()))
                .map(o -> ((HorizontalPodAutoscaler) o).getSpec().getMinReplicas())
                .findFirst()
                .orElse(null);
    }

    /**
     * Waits until the Deployment's updated replicas are all available, or explains why not. Polls (every
     * {@link #pollInterval}) rather than watching: a poll survives API-server restarts and proxies that cut
     * long-lived connections.
     */
    public void awaitRollout(String namespace, String name, Duration timeout) {
        var deployments = client.apps().deployments().inNamespace(namespace).withName(name);
        long deadline = System.nanoTime() + timeout.toNanos();
        Deployment d = deployments.get();
        while (!rolledOut(d)) {
            if (System.nanoTime() - deadline >= 0) {
                var pods = client.pods()
                        .inNamespace(namespace)
                        .withLabels(
                                d == null ? Map.of() : d.getSpec().getSelector().getMatchLabels())
                        .list()
                        .getItems();
                var events = client.v1().events().inNamespace(namespace).list().getItems();
                throw new DeadlineExceededException("Deployment " + namespace + "/" + name + " did not roll out "
                        + "within " + timeout.toSeconds() + " s: " + RolloutDiagnosis.explain(pods, events));
            }
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("interrupted while waiting for Deployment " + namespace + "/" + name, e);
            }
            d = deployments.get();
        }
    }

    static boolean rolledOut(Deployment d) {
        if (d == null || d.getStatus() == null || d.getSpec() == null) {
            return false;
        }
        int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        var s = d.getStatus();
        return s.getObservedGeneration() != null
                && s.getObservedGeneration() >= d.getMetadata().getGeneration()
                && nz(s.getUpdatedReplicas()) >= want
                && nz(s.getAvailableReplicas()) >= want
                && nz(s.getReplicas()) == nz(s.getUpdatedReplicas());
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
