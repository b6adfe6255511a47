package dev.pier.pipeline;

/** A stage failed (not a gate, not bad input): the run record says which and why. */
public final class PipelineFailure extends RuntimeException {
    PipelineFailure(String message) {
        super(message);
    }
}
