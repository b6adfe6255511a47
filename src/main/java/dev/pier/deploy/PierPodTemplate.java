package dev.pier.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Deployment and its pod template: probes on the V2 health endpoints, resources, a locked-down security
 * context (non-root, read-only root filesystem, an emptyDir for {@code /tmp}), a preStop pause, the server's
 * shutdown timings as container arguments and a termination grace of preStop + the server's budget + a margin,
 * Prometheus scrape annotations, and the model mounts. No replica count when an HPA owns it. Stateless.
 */
final class PierPodTemplate {

    static final String CONFIG_CHECKSUM_ANNOTATION = "pier.dev/model-config-sha256";

    private PierPodTemplate() {}

    static Deployment deployment(KubernetesDeployOptions o) {
        return new DeploymentBuilder()
                .withMetadata(KubernetesManifests.sizedMetadata(o, o.name()))
                // with an HPA the replica count is its to manage: a written one resets its scale on every apply
                .withNewSpec()
                .withReplicas(o.autoscale().isPresent() ? null : o.replicas())
                .withNewSelector()
                .withMatchLabels(KubernetesManifests.selector(o))
                .endSelector()
                // surge rather than drop below the serving capacity during a rollout
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxSurge(new IntOrString(1))
                .withMaxUnavailable(new IntOrString(0))
                .endRollingUpdate()
                .endStrategy()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(KubernetesManifests.labels(o))
                .withAnnotations(podAnnotations(o))
                .endMetadata()
                .withNewSpec()
                .withAutomountServiceAccountToken(false)
                .withTerminationGracePeriodSeconds((long) o.terminationGracePeriodSeconds())
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(PierEndpoints.USER_ID)
                .withRunAsGroup(PierEndpoints.USER_ID)
                .withFsGroup(PierEndpoints.USER_ID)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .addNewTopologySpreadConstraint()
                .withMaxSkew(1)
                .withTopologyKey("kubernetes.io/hostname")
                .withWhenUnsatisfiable("ScheduleAnyway")
                .withNewLabelSelector()
                .withMatchLabels(KubernetesManifests.selector(o))
                .endLabelSelector()
                .endTopologySpreadConstraint()
                .withContainers(container(o))
                .withVolumes(volumes(o))
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Map<String, String> podAnnotations(KubernetesDeployOptions o) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("prometheus.io/scrape", "true");
        a.put("prometheus.io/port", String.valueOf(PierEndpoints.REST_PORT));
        a.put("prometheus.io/path", PierEndpoints.METRICS_PATH);
        if (!o.modelConfigs().isEmpty()) {
            // subPath mounts do not follow ConfigMap updates: a changed checksum rolls the pods instead
            a.put(CONFIG_CHECKSUM_ANNOTATION, checksum(o.modelConfigs()));
        }
        return a;
    }

    private static Container container(KubernetesDeployOptions o) {
        KubernetesDeployOptions.Resources r = o.resources();
        return new ContainerBuilder()
                .withName("pier")
                .withImage(o.image())
                .withImagePullPolicy("IfNotPresent")
                .withArgs(serveArguments(o))
                .addNewPort()
                .withName(PierEndpoints.REST_PORT_NAME)
                .withContainerPort(PierEndpoints.REST_PORT)
                .withProtocol("TCP")
                .endPort()
                .addNewPort()
                .withName(PierEndpoints.GRPC_PORT_NAME)
                .withContainerPort(PierEndpoints.GRPC_PORT)
                .withProtocol("TCP")
                .endPort()
                // the JVM sizes its heap from the container limit; native libraries unpack into /tmp
                .addNewEnv()
                .withName("JAVA_TOOL_OPTIONS")
                .withValue("-XX:MaxRAMPercentage=70 -Djava.io.tmpdir=/tmp")
                .endEnv()
                .withNewResources()
                .addToRequests("cpu", new Quantity(r.cpuRequest()))
                .addToRequests("memory", new Quantity(r.memoryRequest()))
                .addToLimits("cpu", new Quantity(r.cpuLimit()))
                .addToLimits("memory", new Quantity(r.memoryLimit()))
                .endResources()
                // loading models can take a while: the startup probe holds off liveness until the server is up
                .withStartupProbe(probe(PierEndpoints.LIVE_PATH, 5, 60))
                .withLivenessProbe(probe(PierEndpoints.LIVE_PATH, 10, 3))
                .withReadinessProbe(probe(PierEndpoints.READY_PATH, 5, 2))
                .withNewLifecycle()
                .withNewPreStop()
                .withNewSleep()
                .withSeconds((long) o.preStopSeconds())
                .endSleep()
                .endPreStop()
                .endLifecycle()
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .withVolumeMounts(mounts(o))
                .build();
    }

    /**
     * The image's own command ({@code serve --model-repository /models}) with the shutdown timings the grace
     * period was computed from, so the server and Kubernetes agree on them.
     */
    static List<String> serveArguments(KubernetesDeployOptions o) {
        List<String> args = new ArrayList<>(List.of("serve", "--model-repository", PierEndpoints.MODELS_DIR));
        args.addAll(o.serveShutdownArguments());
        return args;
    }

    private static Probe probe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath(path)
                .withPort(new IntOrString(PierEndpoints.REST_PORT_NAME))
                .endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(2)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    private static List<Volume> volumes(KubernetesDeployOptions o) {
        List<Volume> v = new ArrayList<>();
        v.add(new VolumeBuilder()
                .withName("tmp")
                .withNewEmptyDir()
                .withSizeLimit(new Quantity("1Gi"))
                .endEmptyDir()
                .build());
        if (o.storage() instanceof ModelStorage.Volume pvc) {
            v.add(new VolumeBuilder()
                    .withName("models")
                    .withNewPersistentVolumeClaim()
                    .withClaimName(pvc.claimName())
                    .withReadOnly(true)
                    .endPersistentVolumeClaim()
                    .build());
        }
        if (!o.modelConfigs().isEmpty()) {
            v.add(new VolumeBuilder()
                    .withName("model-config")
                    .withNewConfigMap()
                    .withName(KubernetesManifests.configMapName(o))
                    .endConfigMap()
                    .build());
        }
        return v;
    }

    private static List<VolumeMount> mounts(KubernetesDeployOptions o) {
        List<VolumeMount> m = new ArrayList<>();
        m.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
        if (o.storage() instanceof ModelStorage.Volume) {
            m.add(new VolumeMountBuilder()
                    .withName("models")
                    .withMountPath(PierEndpoints.MODELS_DIR)
                    .withReadOnly(true)
                    .build());
        }
        // each config.yaml lands where the server reads it: /models/<model>/config.yaml
        new TreeMap<>(o.modelConfigs())
                .keySet()
                .forEach(model -> m.add(new VolumeMountBuilder()
                        .withName("model-config")
                        .withMountPath(PierEndpoints.MODELS_DIR + "/" + model + "/config.yaml")
                        .withSubPath(KubernetesManifests.configKey(model))
                        .withReadOnly(true)
                        .build()));
        return m;
    }

    static String checksum(Map<String, String> configs) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(configs).forEach((k, v) -> {
                sha.update(k.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(v.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            });
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
