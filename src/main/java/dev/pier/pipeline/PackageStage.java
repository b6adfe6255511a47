package dev.pier.pipeline;

import dev.pier.packaging.ImagePackager;
import dev.pier.packaging.PackageOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the OCI image of Pier and the repository through {@link ImagePackager}, the code path of {@code pier package};
 * {@code {version}} in the image reference (and in a {@code tar:} target) becomes the published version. Reruns when
 * the repository's content changes, and when the tarball it wrote is gone or was changed.
 */
final class PackageStage implements StageWork {
    static final String TAR_SHA256 = "tar_sha256";
    private static final String TAR_BASE = "tar://";

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
        in.put("to", withVersion(ctx, p.to()));
        in.put("base", p.base() == null ? PackageOptions.DEFAULT_BASE : p.base());
        if (base(ctx).startsWith(TAR_BASE)
                && Files.isRegularFile(Path.of(base(ctx).substring(TAR_BASE.length())))) {
            in.put("base_sha256", Hashes.file(Path.of(base(ctx).substring(TAR_BASE.length()))));
        }
        in.put("repository", Hashes.path(ctx.repository()));
        return in;
    }

    static String image(RunContext ctx) {
        return withVersion(ctx, ctx.spec.packaging().image());
    }

    private static String withVersion(RunContext ctx, String text) {
        if (!text.contains("{version}")) {
            return text;
        }
        long version = GateStage.repo(ctx)
                .versionHolding(ctx.candidateHash())
                .orElseThrow(() ->
                        new IllegalStateException("the candidate is not published, so there is no image to build"));
        return text.replace("{version}", Long.toString(version));
    }

    /** {@code registry}, {@code docker}, or {@code tar:} with the file resolved against the pipeline's folder. */
    private static String target(RunContext ctx) {
        String to = withVersion(ctx, ctx.spec.packaging().to());
        return to.startsWith("tar:") ? "tar:" + ctx.resolve(to.substring(4)) : to;
    }

    /** The base image; a {@code tar://FILE} base is resolved against the pipeline's folder like every other path. */
    private static String base(RunContext ctx) {
        String base = ctx.spec.packaging().base();
        if (base == null) {
            return PackageOptions.DEFAULT_BASE;
        }
        return base.startsWith(TAR_BASE) ? TAR_BASE + ctx.resolve(base.substring(TAR_BASE.length())) : base;
    }

    @Override
    public boolean outsideOutputsIntact(RunContext ctx, StageRecord previous) {
        Object sha = previous.result().get(TAR_SHA256);
        if (sha == null) {
            return true; // pushed or loaded into Docker: nothing here to check
        }
        Path tar = Path.of(target(ctx).substring(4));
        return Files.isRegularFile(tar) && Hashes.file(tar).equals(sha);
    }

    @Override
    public Outcome run(RunContext ctx, Path dir) throws Exception {
        String to = target(ctx);
        ImagePackager.Result r = new ImagePackager()
                .build(new PackageOptions(
                        ctx.repository(),
                        image(ctx),
                        base(ctx),
                        PackageOptions.parseTarget(to),
                        PackageOptions.currentClasspath()));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("image", r.image());
        result.put("digest", r.digest());
        result.put("to", to);
        if (to.startsWith("tar:")) {
            result.put(TAR_SHA256, Hashes.file(Path.of(to.substring(4))));
        }
        return new Outcome(List.of(), result);
    }
}
