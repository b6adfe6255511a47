package dev.pier.cli;

import dev.pier.pipeline.KubernetesExport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pier pipeline export --to kubernetes}: calls {@link KubernetesExport}. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description =
                "Write the pipeline as Kubernetes Jobs (one per stage, in order, sharing a PersistentVolumeClaim).")
final class PipelineExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PIPELINE.yaml")
    Path file;

    @Option(
            names = "--to",
            defaultValue = "kubernetes",
            description = "Only kubernetes for now (default ${DEFAULT-VALUE}).")
    String to;

    @Option(names = "--out", defaultValue = "k8s-pipeline", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--image", required = true, description = "An image with Pier in it (pier package builds one).")
    String image;

    @Option(names = "--name", description = "Prefix of the objects' names (default: pier-<pipeline name>).")
    String name;

    @Option(
            names = "--storage",
            defaultValue = "5Gi",
            description = "Workspace volume size (default ${DEFAULT-VALUE}).")
    String storage;

    @Option(names = "--storage-class", description = "Storage class of the workspace volume (default: the cluster's).")
    String storageClass;

    @Override
    public Integer call() throws Exception {
        if (!to.equals("kubernetes")) {
            throw new IllegalArgumentException("--to '" + to + "' is not supported; expected kubernetes");
        }
        String prefix = name != null
                ? name
                : "pier-"
                        + dev.pier.pipeline.PipelineParser.parse(file)
                                .name()
                                .toLowerCase()
                                .replaceAll("[^a-z0-9-]", "-");
        new KubernetesExport()
                .write(file, new KubernetesExport.Options(image, prefix, storage, storageClass), out)
                .forEach(f -> System.out.println("wrote " + f));
        return 0;
    }
}
