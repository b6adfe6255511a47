package dev.pier.pipeline;

import dev.pier.deploy.ManifestWriter;
import dev.pier.packaging.ImageLayout;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code pier pipeline export --to kubernetes}: the pipeline as plain Kubernetes objects: a PersistentVolumeClaim that
 * is the run workspace (cache, run records, repository), a ConfigMap holding the pipeline file, and one Job per
 * configured stage running {@code pier pipeline run --from S --until S} in the image (through the image's own Java
 * command line). Jobs start together; each one's
 * init container waits until the stage before it left its marker on the volume, so they run in dependency order.
 * Plain Jobs rather than an Argo Workflow because they need nothing installed in the cluster beyond Kubernetes itself,
 * and the stage cache already gives what a workflow engine would (a rerun skips what is up to date). Pure apart from
 * writing the files.
 */
public final class KubernetesExport {
    static final String MOUNT = "/workspace";
    /**
     * Pier as the image runs it: its entrypoint's command line ({@code java ... dev.pier.cli.PierCli}), since images
     * carry no {@code pier} script; single-quoted for {@code sh -c} (the class path holds a {@code *}).
     */
    static final String PIER = ImageLayout.entrypoint().stream()
            .map(a -> "'" + a.replace("'", "'\\''") + "'")
            .collect(java.util.stream.Collectors.joining(" "));

    /**
     * @param image        an image with Pier (as {@code pier package} builds)
     * @param name         prefix of the objects' names
     * @param storage      size of the workspace volume, e.g. 5Gi
     * @param storageClass storage class, or null for the cluster's default
     */
    public record Options(String image, String name, String storage, String storageClass) {}

    public List<HasMetadata> build(Path pipelineFile, Options o) throws IOException {
        PipelineSpec spec = PipelineParser.parse(pipelineFile);
        String yaml = Files.readString(pipelineFile);
        List<HasMetadata> objects = new ArrayList<>();
        Map<String, String> labels = Map.of(
                "app.kubernetes.io/name",
                o.name(),
                "app.kubernetes.io/part-of",
                "pier-pipeline",
                "pier.dev/pipeline",
                spec.name());
        objects.add(new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(o.name() + "-workspace")
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(o.storageClass())
                .withNewResources()
                .addToRequests("storage", new Quantity(o.storage()))
                .endResources()
                .endSpec()
                .build());
        objects.add(new ConfigMapBuilder()
                .withNewMetadata()
                .withName(o.name() + "-pipeline")
                .withLabels(labels)
                .endMetadata()
                .addToData("pipeline.yaml", yaml)
                .build());
        String previous = null;
        for (StageWork work : stages()) {
            if (!work.configured(spec)) {
                continue;
            }
            String stage = work.stage().id();
            String marker = MOUNT + "/.pier/done/" + stage;
            Container main = new ContainerBuilder()
                    .withName(stage)
                    .withImage(o.image())
                    .withCommand(
                            "sh",
                            "-c",
                            "mkdir -p " + MOUNT + "/.pier/done && cp /etc/pier/pipeline.yaml " + MOUNT
                                    + "/pipeline.yaml && " + PIER + " pipeline run " + MOUNT + "/pipeline.yaml --from "
                                    + stage + " --until " + stage
                                    + " --no-progress && touch " + marker)
                    // MNIST's and DJL's caches on the volume: the image's user 10001 has no home directory
                    .addNewEnv()
                    .withName("JAVA_TOOL_OPTIONS")
                    .withValue("-Duser.home=" + MOUNT)
                    .endEnv()
                    .addNewVolumeMount()
                    .withName("workspace")
                    .withMountPath(MOUNT)
                    .endVolumeMount()
                    .addNewVolumeMount()
                    .withName("pipeline")
                    .withMountPath("/etc/pier")
                    .withReadOnly(true)
                    .endVolumeMount()
                    .build();
            List<Container> init = new ArrayList<>();
            if (previous != null) {
                init.add(new ContainerBuilder()
                        .withName("wait-for-" + previous)
                        .withImage(o.image())
                        .withCommand(
                                "sh", "-c", "until [ -f " + MOUNT + "/.pier/done/" + previous + " ]; do sleep 5; done")
                        .addNewVolumeMount()
                        .withName("workspace")
                        .withMountPath(MOUNT)
                        .endVolumeMount()
                        .build());
            }
            objects.add(new JobBuilder()
                    .withNewMetadata()
                    .withName(o.name() + "-" + stage)
                    .withLabels(labels)
                    .addToLabels("pier.dev/stage", stage)
                    .endMetadata()
                    .withNewSpec()
                    .withBackoffLimit(1)
                    .withTtlSecondsAfterFinished(86400)
                    .withNewTemplate()
                    .withNewMetadata()
                    .withLabels(labels)
                    .addToLabels("pier.dev/stage", stage)
                    .endMetadata()
                    .withNewSpec()
                    .withRestartPolicy("Never")
                    .withInitContainers(init)
                    .withContainers(main)
                    .withNewSecurityContext()
                    .withFsGroup(10001L)
                    .endSecurityContext() // the volume writable by the image's user
                    .addNewVolume()
                    .withName("workspace")
                    .withNewPersistentVolumeClaim()
                    .withClaimName(o.name() + "-workspace")
                    .endPersistentVolumeClaim()
                    .endVolume()
                    .addNewVolume()
                    .withName("pipeline")
                    .withNewConfigMap()
                    .withName(o.name() + "-pipeline")
                    .endConfigMap()
                    .endVolume()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build());
            previous = stage;
        }
        return objects;
    }

    public List<Path> write(Path pipelineFile, Options o, Path outDir) throws IOException {
        return new ManifestWriter().write(build(pipelineFile, o), outDir);
    }

    private static List<StageWork> stages() {
        return List.of(
                new DataStage(),
                new TrainStage(),
                new CompressStage(),
                new EvaluateStage(),
                new GateStage(),
                new PublishStage(),
                new PackageStage(),
                new DeployStage());
    }
}
