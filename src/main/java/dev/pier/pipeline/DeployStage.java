package dev.pier.pipeline;

import dev.pier.deploy.KubernetesDeployOptions;
import dev.pier.deploy.KubernetesDeployment;
import dev.pier.deploy.KubernetesManifests;
import dev.pier.deploy.ModelConfigFiles;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the Kubernetes manifests for the packaged image through {@link KubernetesManifests} and
 * {@link KubernetesDeployment} (write only, as {@code pier deploy kubernetes} without {@code --apply}). KServe
 * manifests are left to {@code pier deploy kserve} for now.
 */
final class DeployStage implements StageWork {

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
        if (ctx.spec.deploy().kubernetes() == null) {
            throw new IllegalArgumentException("'deploy.kserve' is not run by pipelines yet; use deploy: {kubernetes: {...}} "
                    + "or pier deploy kserve");
        }
        if (ctx.spec.packaging() == null) {
            throw new IllegalArgumentException("'deploy' needs a 'package' section: the image to deploy");
        }
        PipelineSpec.Kubernetes k = ctx.spec.deploy().kubernetes();
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("image", PackageStage.image(ctx));
        in.put("out", k.out());
        in.put("autoscale", k.autoscale() == null ? "" : k.autoscale());
        in.put("name", k.name());
        in.put("namespace", k.namespace() == null ? "" : k.namespace());
        in.put("configs", Hashes.of(configs(ctx)));
        return in;
    }

    private static Map<String, String> configs(RunContext ctx) {
        try {
            return ModelConfigFiles.read(ctx.repository());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e.getMessage(), e);
        }
    }

    @Override
    public Outcome run(RunContext ctx, Path dir) throws Exception {
        PipelineSpec.Kubernetes k = ctx.spec.deploy().kubernetes();
        Optional<KubernetesDeployOptions.Autoscale> hpa = Optional.ofNullable(k.autoscale())
                .map(a -> KubernetesDeployOptions.Autoscale.parse(a, 70, Optional.empty()));
        KubernetesDeployOptions o = KubernetesDeployOptions.defaults(PackageStage.image(ctx)).withName(k.name())
                .withNamespace(Optional.ofNullable(k.namespace()))
                .withScaling(hpa.map(KubernetesDeployOptions.Autoscale::minReplicas).orElse(2), hpa)
                .withModelConfigs(configs(ctx));
        KubernetesDeployment.Result r = new KubernetesDeployment().deploy(KubernetesManifests.build(o), o.namespace(),
                ctx.resolve(k.out()), KubernetesDeployment.ApplyMode.WRITE_ONLY);
        return new Outcome(List.of(), Map.of("files", r.files().stream().map(Path::toString).toList()));
    }
}
