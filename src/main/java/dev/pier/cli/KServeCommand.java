package dev.pier.cli;

import dev.pier.deploy.KServeManifests;
import dev.pier.deploy.KServeOptions;
import dev.pier.deploy.KubernetesDeployOptions;
import dev.pier.deploy.KubernetesDeployOptions.Autoscale;
import dev.pier.deploy.KubernetesDeployment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pier deploy kserve}: a ServingRuntime for Pier and an InferenceService using it. */
@Command(
        name = "kserve",
        mixinStandardHelpOptions = true,
        description = "Write a KServe ServingRuntime (V2 protocol, ONNX) and an InferenceService into --out.")
final class KServeCommand implements Callable<Integer> {
    @Option(names = "--image", required = true, description = "Image built by 'pier package'.")
    String image;

    @Option(names = "--name", defaultValue = "pier", description = "InferenceService name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(
            names = "--runtime-name",
            defaultValue = "pier-runtime",
            description = "ServingRuntime name (default: ${DEFAULT-VALUE}).")
    String runtimeName;

    @Option(names = "--namespace", description = "Namespace (default: the kubeconfig context's).")
    String namespace;

    @Option(names = "--canary", description = "Percent of traffic for the newest revision (canaryTrafficPercent).")
    Integer canary;

    @Option(
            names = "--autoscale",
            defaultValue = "1..3",
            description = "Predictor replicas MIN..MAX (default: ${DEFAULT-VALUE}).")
    String autoscale;

    @Option(
            names = "--storage-uri",
            description =
                    "Model repository URI for KServe's storage initializer (default: models baked into the image).")
    String storageUri;

    @Option(names = "--cpu", defaultValue = "1")
    String cpu;

    @Option(names = "--memory", defaultValue = "1Gi")
    String memory;

    @Option(names = "--cpu-limit", defaultValue = "2")
    String cpuLimit;

    @Option(names = "--memory-limit", defaultValue = "2Gi")
    String memoryLimit;

    @Option(names = "--out", defaultValue = "k8s", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--graph",
            description = "An ensemble's model folder (with its config.yaml): also write one InferenceService "
                    + "per composing model and a KServe InferenceGraph that sequences them.")
    Path graph;

    @Option(names = "--apply", description = "Apply to the current kubeconfig context.")
    boolean apply;

    @Option(names = "--dry-run", description = "Server-side dry run.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        Autoscale bounds = Autoscale.parse(autoscale, 70, Optional.empty());
        KServeOptions o = new KServeOptions(
                name,
                runtimeName,
                Optional.ofNullable(namespace),
                image,
                Optional.ofNullable(canary),
                bounds.minReplicas(),
                bounds.maxReplicas(),
                Optional.ofNullable(storageUri),
                new KubernetesDeployOptions.Resources(cpu, memory, cpuLimit, memoryLimit));
        var manifests = graph == null
                ? KServeManifests.build(o)
                : dev.pier.deploy.KServeGraph.build(
                        o,
                        graph.toAbsolutePath().normalize().getFileName().toString(),
                        dev.pier.repository.ModelConfigParser.parse(
                                graph.resolve(dev.pier.repository.RepositorySource.CONFIG_FILE)));
        var result = new KubernetesDeployment()
                .deploy(
                        manifests,
                        o.namespace(),
                        out,
                        new KubernetesDeployment.ApplyMode(apply, dryRun, Duration.ZERO));
        result.files().forEach(f -> System.out.println("wrote " + f));
        result.applied().forEach(a -> System.out.println((dryRun ? "dry run: " : "") + a));
        return 0;
    }
}
