package dev.pier.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One stage's work: what it depends on, and how to do it. Implementations are stateless. */
interface StageWork {

    Stage stage();

    /** Whether the pipeline file asks for this stage; an optional stage left out is skipped. */
    boolean configured(PipelineSpec spec);

    /**
     * Everything the stage's outputs depend on: parameters, input files' hashes, upstream outputs' hashes. Their hash
     * (with Pier's version) is the stage's cache key. Reads only records of earlier stages.
     */
    Map<String, Object> inputs(RunContext ctx);

    /** A reason why the stage need not run although its key changed (say, the model is already published). */
    default Optional<String> alreadyDone(RunContext ctx, Optional<StageRecord> previous) {
        return Optional.empty();
    }

    /**
     * Whether what the stage wrote outside its cache folder (an image tarball, manifests) is still there as it wrote
     * it; the cache checks only the files inside the folder. A stage whose key matches but whose outside outputs
     * are gone or edited runs again.
     */
    default boolean outsideOutputsIntact(RunContext ctx, StageRecord previous) {
        return true;
    }

    /** Does the work, writing its files into {@code dir} (empty at first). */
    Outcome run(RunContext ctx, Path dir) throws Exception;

    /** @param outputs files written into the stage folder; @param result figures and facts for the run record */
    record Outcome(List<String> outputs, Map<String, Object> result) {}
}
