package dev.pier.deploy;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@link KubernetesManifests} needs to describe one Pier deployment. Immutable; build with
 * {@link #defaults(String)} and the {@code with*} methods.
 *
 * @param name           name of every object and the {@code app.kubernetes.io/name} label (default {@code pier})
 * @param namespace      namespace written into the manifests; empty means none (kubectl's context decides)
 * @param image          the image built by {@code pier package}
 * @param replicas       Deployment replicas (default 2, so one pod can be disrupted); not written into the
 *                       Deployment when an autoscaler manages them (there it is only the HPA's starting point)
 * @param autoscale      HPA bounds and targets; empty means no HorizontalPodAutoscaler
 * @param resources      container requests and limits (default 1 CPU / 1Gi requested, 2 CPU / 2Gi limit)
 * @param drainSeconds   {@code pier serve --drain-seconds}: after SIGTERM, how long the server keeps serving while it
 *                       already reports not-ready (default 5, as {@code pier serve})
 * @param graceSeconds   {@code pier serve --grace-seconds}: the server's whole shutdown budget from SIGTERM, drain
 *                       included, for accepted requests to finish (default 30, as {@code pier serve}); >= drain
 * @param preStopSeconds pause before SIGTERM so endpoints controllers and load balancers stop routing (default 5)
 * @param storage        where models come from (default baked into the image)
 * @param modelConfigs   model name to its {@code config.yaml} text, shipped in a ConfigMap (default none)
 * @param sizing         capacity-based sizing whose reasoning is written into annotations (default none)
 */
public record KubernetesDeployOptions(
        String name,
        Optional<String> namespace,
        String image,
        int replicas,
        Optional<Autoscale> autoscale,
        Resources resources,
        int drainSeconds,
        int graceSeconds,
        int preStopSeconds,
        ModelStorage storage,
        Map<String, String> modelConfigs,
        Optional<SizingPlan> sizing) {

    /** The defaults of {@code pier serve --drain-seconds} and {@code --grace-seconds}. */
    public static final int DEFAULT_DRAIN_SECONDS = 5;

    public static final int DEFAULT_GRACE_SECONDS = 30;
    /** What Kubernetes' grace period adds to preStop and the server's budget before SIGKILL: JVM exit, log flush. */
    public static final int GRACE_MARGIN_SECONDS = 5;

    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

    public KubernetesDeployOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(autoscale, "autoscale");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(sizing, "sizing");
        modelConfigs = Map.copyOf(modelConfigs);
        if (!name.matches(DNS_LABEL) || name.length() > 52) {
            throw new IllegalArgumentException("--name must be a DNS-1123 label of at most 52 characters "
                    + "(lower-case letters, digits, '-'), got '" + name + "'");
        }
        namespace.ifPresent(ns -> {
            if (!ns.matches(DNS_LABEL) || ns.length() > 63) {
                throw new IllegalArgumentException("--namespace must be a DNS-1123 label, got '" + ns + "'");
            }
        });
        if (image == null || image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("--image must be an image reference such as "
                    + "registry.example.com/team/mnist:1, got '" + image + "'");
        }
        if (replicas < 1) {
            throw new IllegalArgumentException("--replicas must be at least 1, got " + replicas);
        }
        autoscale.ifPresent(a -> {
            if (replicas < a.minReplicas() || replicas > a.maxReplicas()) {
                throw new IllegalArgumentException("--replicas " + replicas + " must lie within --autoscale "
                        + a.minReplicas() + ".." + a.maxReplicas());
            }
        });
        if (drainSeconds < 0 || preStopSeconds < 0) {
            throw new IllegalArgumentException(
                    "drain and preStop seconds must be >= 0, got " + drainSeconds + " and " + preStopSeconds);
        }
        if (graceSeconds < drainSeconds) {
            throw new IllegalArgumentException(
                    "--grace-seconds (" + graceSeconds + ") must be at least --drain-seconds (" + drainSeconds
                            + "): the drain is part of the server's shutdown budget");
        }
    }

    /** Defaults for {@code image}: 2 replicas, no autoscaler, baked models, no ConfigMap. */
    public static KubernetesDeployOptions defaults(String image) {
        return new KubernetesDeployOptions(
                "pier",
                Optional.empty(),
                image,
                2,
                Optional.empty(),
                Resources.DEFAULT,
                DEFAULT_DRAIN_SECONDS,
                DEFAULT_GRACE_SECONDS,
                5,
                new ModelStorage.Baked(),
                Map.of(),
                Optional.empty());
    }

    /**
     * Seconds Kubernetes waits between starting termination and SIGKILL: the preStop pause, then the server's whole
     * budget (its drain plus the in-flight requests' time, {@link #graceSeconds}), plus a margin for the exit.
     */
    public int terminationGracePeriodSeconds() {
        return preStopSeconds + graceSeconds + GRACE_MARGIN_SECONDS;
    }

    /** The server's shutdown options, passed to the container so that they and the grace period agree. */
    public java.util.List<String> serveShutdownArguments() {
        return java.util.List.of(
                "--drain-seconds", String.valueOf(drainSeconds), "--grace-seconds", String.valueOf(graceSeconds));
    }

    public KubernetesDeployOptions withName(String n) {
        return new KubernetesDeployOptions(
                n,
                namespace,
                image,
                replicas,
                autoscale,
                resources,
                drainSeconds,
                graceSeconds,
                preStopSeconds,
                storage,
                modelConfigs,
                sizing);
    }

    public KubernetesDeployOptions withNamespace(Optional<String> ns) {
        return new KubernetesDeployOptions(
                name,
                ns,
                image,
                replicas,
                autoscale,
                resources,
                drainSeconds,
                graceSeconds,
                preStopSeconds,
                storage,
                modelConfigs,
                sizing);
    }

    public KubernetesDeployOptions withScaling(int r, Optional<Autoscale> a) {
        return new KubernetesDeployOptions(
                name,
                namespace,
                image,
                r,
                a,
                resources,
                drainSeconds,
                graceSeconds,
                preStopSeconds,
                storage,
                modelConfigs,
                sizing);
    }

    public KubernetesDeployOptions withResources(Resources r) {
        return new KubernetesDeployOptions(
                name,
                namespace,
                image,
                replicas,
                autoscale,
                r,
                drainSeconds,
                graceSeconds,
                preStopSeconds,
                storage,
                modelConfigs,
                sizing);
    }

    /** The server's drain and shutdown budget ({@code pier serve}'s options of these names) and the preStop pause. */
    public KubernetesDeployOptions withShutdown(int drain, int grace, int preStop) {
        return new KubernetesDeployOptions(
                name,
                namespace,
                image,
                replicas,
                autoscale,
                resources,
                drain,
                grace,
                preStop,
                storage,
                modelConfigs,
                sizing);
    }

    public KubernetesDeployOptions withStorage(ModelStorage s) {
        return new KubernetesDeployOptions(
                name,
                namespace,
                image,
                replicas,
                autoscale,
                resources,
                drainSeconds,
                graceSeconds,
                preStopSeconds,
                s,
                modelConfigs,
                sizing);
    }

    public KubernetesDeployOptions withModelConfigs(Map<String, String> configs) {
        return new KubernetesDeployOptions(
                name,
                namespace,
                image,
                replicas,
                autoscale,
                resources,
                drainSeconds,
                graceSeconds,
                preStopSeconds,
                storage,
                configs,
                sizing);
    }

    public KubernetesDeployOptions withSizing(SizingPlan plan) {
        return new KubernetesDeployOptions(
                name,
                namespace,
                image,
                plan.minReplicas(),
                Optional.of(new Autoscale(
                        plan.minReplicas(),
                        plan.maxReplicas(),
                        plan.cpuTargetPercent(),
                        autoscale.flatMap(Autoscale::podsMetric))),
                resources,
                drainSeconds,
                graceSeconds,
                preStopSeconds,
                storage,
                modelConfigs,
                Optional.of(plan));
    }

    /**
     * HorizontalPodAutoscaler settings.
     *
     * @param cpuTargetPercent average CPU utilisation (of the request) the HPA holds (default 70)
     * @param podsMetric       an optional per-pod custom metric (served by a metrics adapter) and its target
     */
    public record Autoscale(int minReplicas, int maxReplicas, int cpuTargetPercent, Optional<PodsMetric> podsMetric) {
        public Autoscale {
            if (minReplicas < 1 || maxReplicas < minReplicas) {
                throw new IllegalArgumentException(
                        "--autoscale must be MIN..MAX with 1 <= MIN <= MAX, got " + minReplicas + ".." + maxReplicas);
            }
            if (cpuTargetPercent < 1 || cpuTargetPercent > 100) {
                throw new IllegalArgumentException("CPU target must be 1..100 percent, got " + cpuTargetPercent);
            }
            Objects.requireNonNull(podsMetric, "podsMetric");
        }

        /** Parses {@code MIN..MAX}. */
        public static Autoscale parse(String range, int cpuTargetPercent, Optional<PodsMetric> podsMetric) {
            String[] parts = range.split("\\.\\.", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("--autoscale must be MIN..MAX such as 2..10, got '" + range + "'");
            }
            try {
                return new Autoscale(
                        Integer.parseInt(parts[0].trim()),
                        Integer.parseInt(parts[1].trim()),
                        cpuTargetPercent,
                        podsMetric);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--autoscale must be MIN..MAX with whole numbers, got '" + range + "'");
            }
        }
    }

    /** A Pods metric (e.g. {@code pier_queue_time_seconds}) and the average value per pod the HPA aims at. */
    public record PodsMetric(String metricName, String averageValue) {
        /** Parses {@code NAME=AVERAGE} such as {@code pier_queue_time_seconds=50m}. */
        public static PodsMetric parse(String spec) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new IllegalArgumentException("--pods-metric must be NAME=AVERAGE_VALUE such as "
                        + "pier_queue_time_seconds=50m, got '" + spec + "'");
            }
            return new PodsMetric(spec.substring(0, eq), spec.substring(eq + 1));
        }
    }

    /** Container resources as Kubernetes quantities; the CPU request is what HPA utilisation is measured against. */
    public record Resources(String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {
        public static final Resources DEFAULT = new Resources("1", "1Gi", "2", "2Gi");

        public Resources {
            check("--cpu", cpuRequest);
            check("--memory", memoryRequest);
            check("--cpu-limit", cpuLimit);
            check("--memory-limit", memoryLimit);
        }

        private static void check(String option, String quantity) {
            if (quantity == null || !quantity.matches("[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?")) {
                throw new IllegalArgumentException(option + " must be a Kubernetes quantity such as 500m, 2, 1Gi "
                        + "or 512Mi, got '" + quantity + "'");
            }
        }
    }
}
