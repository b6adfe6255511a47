package dev.pier.cli;

import dev.pier.deploy.CapacitySizing;
import dev.pier.deploy.KubernetesDeployOptions;
import dev.pier.deploy.KubernetesDeployOptions.Autoscale;
import dev.pier.deploy.KubernetesDeployOptions.PodsMetric;
import dev.pier.deploy.KubernetesDeployOptions.Resources;
import dev.pier.deploy.KubernetesDeployment;
import dev.pier.deploy.KubernetesManifests;
import dev.pier.deploy.ModelConfigFiles;
import dev.pier.deploy.ModelStorage;
import dev.pier.deploy.SizingPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pier deploy}: groups the deployment targets. */
@Command(
        name = "deploy",
        description = "Generate (and optionally apply) Kubernetes or KServe manifests.",
        mixinStandardHelpOptions = true,
        subcommands = {DeployCommand.Kubernetes.class, KServeCommand.class})
public final class DeployCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code pier deploy kubernetes}: Deployment, Service, HPA, PDB and ConfigMap. */
    @Command(
            name = "kubernetes",
            mixinStandardHelpOptions = true,
            description = "Write Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget and ConfigMap "
                    + "YAML into --out; --apply applies them to the current kubeconfig context.")
    static final class Kubernetes implements Callable<Integer> {
        @Option(names = "--image", required = true, description = "Image built by 'pier package'.")
        String image;

        @Option(
                names = "--name",
                defaultValue = "pier",
                description = "Name of the objects (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--namespace", description = "Namespace (default: the kubeconfig context's).")
        String namespace;

        @Option(
                names = "--replicas",
                description = "Replicas without an autoscaler (default: 2); with --autoscale the HPA owns the count.")
        Integer replicas;

        @Option(names = "--autoscale", description = "HPA bounds MIN..MAX, e.g. 2..10.")
        String autoscale;

        @Option(
                names = "--cpu-target",
                defaultValue = "70",
                description = "HPA CPU utilisation target %% (default: ${DEFAULT-VALUE}).")
        int cpuTarget;

        @Option(
                names = "--pods-metric",
                description = "Also scale on a per-pod custom metric NAME=AVERAGE, e.g. pier_queue_time_seconds=50m.")
        String podsMetric;

        @Option(names = "--cpu", defaultValue = "1", description = "CPU request (default: ${DEFAULT-VALUE}).")
        String cpu;

        @Option(names = "--memory", defaultValue = "1Gi", description = "Memory request (default: ${DEFAULT-VALUE}).")
        String memory;

        @Option(names = "--cpu-limit", defaultValue = "2", description = "CPU limit (default: ${DEFAULT-VALUE}).")
        String cpuLimit;

        @Option(
                names = "--memory-limit",
                defaultValue = "2Gi",
                description = "Memory limit (default: ${DEFAULT-VALUE}).")
        String memoryLimit;

        @Option(
                names = "--drain-seconds",
                defaultValue = "5",
                description =
                        "pier serve --drain-seconds: after SIGTERM keep serving this long while reporting not-ready (default: ${DEFAULT-VALUE}).")
        int drainSeconds;

        @Option(
                names = "--grace-seconds",
                defaultValue = "30",
                description =
                        "pier serve --grace-seconds: the server's whole shutdown budget, drain included; the pod's "
                                + "terminationGracePeriodSeconds is preStop + this + 5 (default: ${DEFAULT-VALUE}).")
        int graceSeconds;

        @Option(
                names = "--prestop-seconds",
                defaultValue = "5",
                description = "Pause before SIGTERM (default: ${DEFAULT-VALUE}).")
        int preStopSeconds;

        @Option(
                names = "--models",
                defaultValue = "image",
                description = "Where models come from: 'image' (baked in) or 'pvc:CLAIM' (default: ${DEFAULT-VALUE}).")
        String models;

        @Option(
                names = "--model-repository",
                description = "Model repository whose <model>/config.yaml files go into a ConfigMap.")
        Path modelRepository;

        @Option(
                names = "--capacity-rps",
                description = "Measured requests/s per replica at the p99 target; with --peak-rps sizes the HPA.")
        Double capacityRps;

        @Option(
                names = "--capacity-from",
                description =
                        "Take the per-replica capacity from a 'pier bench --json' file instead of --capacity-rps.")
        Path capacityFrom;

        @Option(
                names = "--p99-target-ms",
                description = "With --capacity-from: refuse a bench run whose p99 exceeds this.")
        Double p99TargetMs;

        @Option(names = "--peak-rps", description = "Peak requests/s to plan for.")
        Double peakRps;

        @Option(
                names = "--target-utilization",
                defaultValue = "0.7",
                description = "Fraction of capacity to run at (default: ${DEFAULT-VALUE}).")
        double targetUtilization;

        @Option(names = "--out", defaultValue = "k8s", description = "Output directory (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--apply", description = "Apply to the current kubeconfig context and wait for the rollout.")
        boolean apply;

        @Option(
                names = "--dry-run",
                description = "Server-side dry run: validate against the cluster without persisting.")
        boolean dryRun;

        @Option(
                names = "--service-monitor",
                description = "Also write a prometheus-operator ServiceMonitor for the Service "
                        + "(the pods carry prometheus.io/* scrape annotations either way).")
        boolean serviceMonitor;

        @Option(
                names = "--rollout-timeout",
                defaultValue = "300",
                description = "Seconds to wait for the rollout (default: ${DEFAULT-VALUE}).")
        int rolloutTimeout;

        @Override
        public Integer call() throws Exception {
            KubernetesDeployOptions o = options();
            var objects =
                    new java.util.ArrayList<io.fabric8.kubernetes.api.model.HasMetadata>(KubernetesManifests.build(o));
            if (serviceMonitor) {
                objects.add(dev.pier.deploy.ServiceMonitors.build(o));
            }
            var result = new KubernetesDeployment()
                    .deploy(
                            objects,
                            o.namespace(),
                            out,
                            new KubernetesDeployment.ApplyMode(apply, dryRun, Duration.ofSeconds(rolloutTimeout)));
            o.sizing().ifPresent(s -> System.out.println("sizing: " + s.reasoning()));
            result.files().forEach(f -> System.out.println("wrote " + f));
            result.applied().forEach(a -> System.out.println((dryRun ? "dry run: " : "") + a));
            return 0;
        }

        private String capacitySource = "";

        KubernetesDeployOptions options() throws java.io.IOException {
            Optional<PodsMetric> metric = Optional.ofNullable(podsMetric).map(PodsMetric::parse);
            Optional<Autoscale> hpa = Optional.ofNullable(autoscale).map(a -> Autoscale.parse(a, cpuTarget, metric));
            if (metric.isPresent() && hpa.isEmpty() && capacityRps == null) {
                throw new IllegalArgumentException(
                        "--pods-metric needs --autoscale MIN..MAX (or --capacity-rps " + "with --peak-rps)");
            }
            Map<String, String> configs = modelRepository == null ? Map.of() : ModelConfigFiles.read(modelRepository);
            KubernetesDeployOptions o = KubernetesDeployOptions.defaults(image)
                    .withName(name)
                    .withNamespace(Optional.ofNullable(namespace))
                    .withScaling(
                            replicas != null
                                    ? replicas
                                    : hpa.map(Autoscale::minReplicas).orElse(2),
                            hpa)
                    .withResources(new Resources(cpu, memory, cpuLimit, memoryLimit))
                    .withShutdown(drainSeconds, graceSeconds, preStopSeconds)
                    .withStorage(ModelStorage.parse(models))
                    .withModelConfigs(configs);
            if (capacityFrom != null) {
                if (capacityRps != null) {
                    throw new IllegalArgumentException("give either --capacity-rps or --capacity-from, not both");
                }
                var measured = dev.pier.deploy.BenchCapacity.read(capacityFrom, Optional.ofNullable(p99TargetMs));
                capacityRps = measured.rps();
                capacitySource = "measured by pier bench: " + measured.source() + "; ";
            }
            if ((capacityRps == null) != (peakRps == null)) {
                throw new IllegalArgumentException("--capacity-rps and --peak-rps go together, got only "
                        + (capacityRps == null ? "--peak-rps" : "--capacity-rps"));
            }
            if (capacityRps != null) {
                if (autoscale != null) {
                    throw new IllegalArgumentException("give either --autoscale MIN..MAX or --capacity-rps with "
                            + "--peak-rps (which computes the bounds), not both");
                }
                SizingPlan computed =
                        CapacitySizing.plan(new CapacitySizing.Inputs(capacityRps, peakRps, targetUtilization, 2, 0.5));
                SizingPlan plan = new SizingPlan(
                        computed.replicasAtPeak(),
                        computed.minReplicas(),
                        computed.maxReplicas(),
                        computed.cpuTargetPercent(),
                        capacitySource + computed.reasoning());
                o = o.withScaling(
                                plan.minReplicas(),
                                Optional.of(new Autoscale(
                                        plan.minReplicas(), plan.maxReplicas(), plan.cpuTargetPercent(), metric)))
                        .withSizing(plan);
            }
            return o;
        }
    }
}
