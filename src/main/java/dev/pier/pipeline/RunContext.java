package dev.pier.pipeline;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the stages of one run share: the pipeline, where relative paths resolve (the pipeline file's folder), the
 * cache, the records of the stages done so far (run now or found up to date), and where progress goes. Owned by
 * one run on one thread.
 */
final class RunContext {
    final PipelineSpec spec;
    final Path base;
    final String runId;
    final StageCache cache;
    final Path mnistDir;
    final Optional<URI> server;
    final PrintStream out;
    final boolean progressBars;
    private final Map<Stage, StageRecord> done = new EnumMap<>(Stage.class);

    RunContext(
            PipelineSpec spec,
            Path base,
            String runId,
            StageCache cache,
            Path mnistDir,
            Optional<URI> server,
            PrintStream out,
            boolean progressBars) {
        this.spec = spec;
        this.base = base;
        this.runId = runId;
        this.cache = cache;
        this.mnistDir = mnistDir;
        this.server = server;
        this.out = out;
        this.progressBars = progressBars;
    }

    Path resolve(String path) {
        return base.resolve(path).normalize();
    }

    void done(Stage stage, StageRecord record) {
        done.put(stage, record);
    }

    Optional<StageRecord> record(Stage stage) {
        return Optional.ofNullable(done.get(stage));
    }

    StageRecord require(Stage stage) {
        StageRecord r = done.get(stage);
        if (r == null) {
            throw new IllegalStateException("stage " + stage.id() + " has no result in this workspace; run it first");
        }
        return r;
    }

    /** The model the later stages work on: the compressed one when there is a compress stage, else the trained one. */
    Path candidateModel() {
        return record(Stage.COMPRESS)
                .filter(r -> r.outputs().containsKey(Models.MODEL))
                .map(r -> cache.dir(Stage.COMPRESS).resolve(Models.MODEL))
                .orElseGet(() -> cache.dir(Stage.TRAIN).resolve(Models.MODEL));
    }

    String candidateHash() {
        return record(Stage.COMPRESS)
                .filter(r -> r.outputs().containsKey(Models.MODEL))
                .map(r -> r.output(Models.MODEL))
                .orElseGet(() -> require(Stage.TRAIN).output(Models.MODEL));
    }

    Path repository() {
        return resolve(spec.publish().repository());
    }
}
