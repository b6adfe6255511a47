package dev.pier.pipeline;

import dev.pier.deploy.KServeManifests;
import dev.pier.deploy.KServeOptions;
import dev.pier.deploy.KubernetesDeployOptions;
import dev.pier.deploy.KubernetesDeployment;
import dev.pier.deploy.KubernetesManifests;
import dev.pier.deploy.ModelConfigFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the manifests for the packaged image, write only (as {@code pier deploy kubernetes} and
 * {@code pier deploy kserve} without {@code --apply}): Kubernetes objects through {@link KubernetesManifests}, a KServe
 * ServingRuntime and InferenceService (with {@code canaryTrafficPercent}) through {@link KServeManifests}. Reruns when
 * the image or the options change, and when a manifest it wrote is gone or was edited.
 */
final class DeployStage implements StageWork {
    static final String FILES = "files";

    @Override
    public Stage stage() {
        return Stage.DEPLOY;
    }

    @Override
    public boolean configured(PipelineSpec spec) {
        return spec.deploy() != null;
    }

    @Override
    public Map<String, Object> inputs(RunContext ctx) {
        if (ctx.spec.packaging() == null) {
            throw new IllegalArgumentException("'deploy' needs a 'package' section: the image to deploy");
        }
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("image", PackageStage.image(ctx));
        PipelineSpec.Kubernetes k = ctx.spec.deploy().kubernetes();
        if (k != null) {
            Map<String, Object> kubernetes = new LinkedHashMap<>();
            kubernetes.put("out", k.out());
            kubernetes.put("autoscale", k.autoscale() == null ? "" : k.autoscale());
            kubernetes.put("name", k.name());
            kubernetes.put("namespace", k.namespace() == null ? "" : k.namespace());
            kubernetes.put("configs", Hashes.of(configs(ctx)));
            in.put("kubernetes", kubernetes);
        }
        PipelineSpec.KServe s = ctx.spec.deploy().kserve();
        if (s != null) {
            Map<String, Object> kserve = new LinkedHashMap<>();
            kserve.put("out", s.out());
            kserve.put("canary", s.canary() == null ? 0 : s.canary());
            kserve.put("storage_uri", s.storageUri() == null ? "" : s.storageUri());
            kserve.put("name", s.name());
            kserve.put("namespace", s.namespace() == null ? "" : s.namespace());
            kserve.put("autoscale", s.autoscale());
            in.put("kserve", kserve);
        }
        return in;
    }

    private static Map<String, String> configs(RunContext ctx) {
        try {
            return ModelConfigFiles.read(ctx.repository());
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean outsideOutputsIntact(RunContext ctx, StageRecord previous) {
        if (!(previous.result().get(FILES) instanceof Map<?, ?> files)) {
            return false;
        }
        for (Map.Entry<String, String> f : ((Map<String, String>) files).entrySet()) {
            Path p = ctx.resolve(f.getKey());
            if (!Files.isRegularFile(p) || !Hashes.file(p).equals(f.getValue())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Outcome run(RunContext ctx, Path dir) throws Exception {
        String image = PackageStage.image(ctx);
        List<Path> written = new ArrayList<>();
        PipelineSpec.Kubernetes k = ctx.spec.deploy().kubernetes();
        if (k != null) {
            Optional<KubernetesDeployOptions.Autoscale> hpa = Optional.ofNullable(k.autoscale())
                    .map(a -> KubernetesDeployOptions.Autoscale.parse(a, 70, Optional.empty()));
            KubernetesDeployOptions o = KubernetesDeployOptions.defaults(image)
                    .withName(k.name())
                    .withNamespace(Optional.ofNullable(k.namespace()))
                    .withScaling(
                            hpa.map(KubernetesDeployOptions.Autoscale::minReplicas)
                                    .orElse(2),
                            hpa)
                    .withModelConfigs(configs(ctx));
            written.addAll(new KubernetesDeployment()
                    .deploy(
                            KubernetesManifests.build(o),
                            o.namespace(),
                            ctx.resolve(k.out()),
                            KubernetesDeployment.ApplyMode.WRITE_ONLY)
                    .files());
        }
        PipelineSpec.KServe s = ctx.spec.deploy().kserve();
        if (s != null) {
            KubernetesDeployOptions.Autoscale replicas =
                    KubernetesDeployOptions.Autoscale.parse(s.autoscale(), 70, Optional.empty());
            KServeOptions o = new KServeOptions(
                    s.name(),
                    "pier-runtime",
                    Optional.ofNullable(s.namespace()),
                    image,
                    Optional.ofNullable(s.canary()),
                    replicas.minReplicas(),
                    replicas.maxReplicas(),
                    Optional.ofNullable(s.storageUri()),
                    KubernetesDeployOptions.Resources.DEFAULT);
            written.addAll(new KubernetesDeployment()
                    .deploy(
                            KServeManifests.build(o),
                            o.namespace(),
                            ctx.resolve(s.out()),
                            KubernetesDeployment.ApplyMode.WRITE_ONLY)
                    .files());
        }
        // the files with their hashes, relative to the pipeline's folder: a manifest edited or deleted reruns the stage
        Map<String, String> files = new LinkedHashMap<>();
        Path base = ctx.base.toAbsolutePath().normalize();
        for (Path f : written) {
            Path abs = f.toAbsolutePath().normalize();
            files.put(abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString(), Hashes.file(abs));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("image", image);
        result.put(FILES, files);
        return new Outcome(List.of(), result);
    }
}
