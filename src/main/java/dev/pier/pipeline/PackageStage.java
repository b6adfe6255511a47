package dev.pier.pipeline;

import dev.pier.packaging.ImagePackager;
import dev.pier.packaging.PackageOptions;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the OCI image of Pier and the repository through {@link ImagePackager}, the code path of {@code pier package};
 * {@code {version}} in the image reference becomes the published version. Reruns when the repository's content
 * changes.
 */
final class PackageStage implements StageWork {

    @Override
    public Stage stage() {
        return Stage.PACKAGE;
    }

    @Override
    public boolean configured(PipelineSpec spec) {
        return spec.packaging() != null;
    }

    @Override
    public Map<String, Object> inputs(RunContext ctx) {
        PipelineSpec.Package p = ctx.spec.packaging();
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("image", image(ctx));
        in.put("to", p.to());
        in.put("base", p.base() == null ? PackageOptions.DEFAULT_BASE : p.base());
        in.put("repository", Hashes.path(ctx.repository()));
        return in;
    }

    static String image(RunContext ctx) {
        long version = GateStage.repo(ctx).versionHolding(ctx.candidateHash())
                .orElseThrow(() -> new IllegalStateException("the candidate is not published, so there is no image to build"));
        return ctx.spec.packaging().image().replace("{version}", Long.toString(version));
    }

    @Override
    public Outcome run(RunContext ctx, Path dir) throws Exception {
        PipelineSpec.Package p = ctx.spec.packaging();
        String to = p.to().startsWith("tar:") ? "tar:" + ctx.resolve(p.to().substring(4)) : p.to();
        ImagePackager.Result r = new ImagePackager().build(new PackageOptions(ctx.repository(), image(ctx),
                p.base() == null ? PackageOptions.DEFAULT_BASE : p.base(), PackageOptions.parseTarget(to),
                PackageOptions.currentClasspath()));
        return new Outcome(List.of(), Map.of("image", r.image(), "digest", r.digest()));
    }
}
