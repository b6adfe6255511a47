package dev.pier.compress;

import dev.pier.onnx.OnnxModel;

/**
 * One way to compress a model: a pure graph rewrite from the input model to a new one. Implementations never
 * touch files (the service writes the result), and throw {@link dev.pier.api.InvalidInputException} naming
 * the op or layer they cannot handle, so nothing is written. Implementations are immutable and thread-safe.
 */
public interface CompressionStrategy {

    /** Short name for reports, such as {@code quantize-static}. */
    String name();

    /** Rewrites {@code model}; the input is not modified (protobuf messages are immutable). */
    Compressed apply(OnnxModel model);
}
