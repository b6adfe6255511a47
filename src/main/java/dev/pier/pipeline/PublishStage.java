package dev.pier.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Publishes the candidate as a new version of the model in the repository ({@link ModelRepository#publish}: atomic,
 * never overwriting), with its reference profile and {@code lineage.json}. With {@code canary: N} the version first
 * gets N % of the unversioned traffic beside the version served so far ({@code pier pipeline watch} then promotes or
 * rolls it back); without, it serves alone. A model the repository already holds is not published again.
 */
final class PublishStage implements StageWork {

    @Override
    public Stage stage() {
        return Stage.PUBLISH;
    }

    @Override
    public boolean configured(PipelineSpec spec) {
        return true;
    }

    @Override
    public Map<String, Object> inputs(RunContext ctx) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("model", ctx.candidateHash());
        in.put("repository", ctx.spec.publish().repository());
        in.put("name", ctx.spec.publish().model());
        in.put(
                "canary",
                ctx.spec.publish().canary() == null ? 0 : ctx.spec.publish().canary());
        return in;
    }

    @Override
    public Optional<String> alreadyDone(RunContext ctx, Optional<StageRecord> previous) {
        return GateStage.repo(ctx)
                .versionHolding(ctx.candidateHash())
                .map(v -> "version " + v + " already holds this model");
    }

    @Override
    public Outcome run(RunContext ctx, Path dir) throws Exception {
        ModelRepository repo = GateStage.repo(ctx);
        Path model = ctx.candidateModel();
        Map<String, Path> files = new LinkedHashMap<>();
        files.put(Models.MODEL, model);
        Path profile = model.resolveSibling(Models.PROFILE);
        if (Files.isRegularFile(profile)) {
            files.put(Models.PROFILE, profile);
        }
        Optional<Long> stable = repo.servedVersion();
        Integer canary = ctx.spec.publish().canary();
        boolean split = canary != null && stable.isPresent();
        if (split && !repo.pinned()) {
            // pin what serves before the new folder appears, so a polling server never sends it all the traffic
            repo.serveOnly(stable.get());
        }
        long version = repo.publish(
                files,
                new Lineage(
                        ctx.runId,
                        ctx.spec.name(),
                        ctx.candidateHash(),
                        Instant.now().toString()));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("repository", repo.modelDir().getParent().toString());
        result.put("model", ctx.spec.publish().model());
        result.put("version", version);
        if (split) {
            repo.split(stable.get(), version, canary);
            result.put("canary", Map.of("percent", canary, "stable", stable.get()));
            ctx.out.printf(
                    "        version %d gets %d %% of the traffic, version %d the rest%n",
                    version, canary, stable.get());
        } else if (repo.pinned()) {
            repo.serveOnly(version);
        }
        if (canary != null && stable.isEmpty()) {
            result.put("note", "no version was served, so the first one serves alone (no canary)");
        }
        Files.writeString(dir.resolve("published.json"), ModelRepository.JSON.writeValueAsString(result));
        return new Outcome(List.of("published.json"), result);
    }
}
