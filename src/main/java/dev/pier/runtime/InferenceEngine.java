package dev.pier.runtime;

import java.nio.file.Path;

/**
 * An inference engine: turns a model file into a {@link ModelSession}. The ONNX Runtime implementation is
 * the only code in Pier that imports {@code ai.onnxruntime}; everything above speaks this interface.
 * Implementations are thread-safe.
 */
public interface InferenceEngine extends AutoCloseable {

    /** Loads a model; expensive (reads the file, builds the session). Engine errors become PierExceptions. */
    ModelSession load(Path modelFile, SessionOptions options);

    @Override
    default void close() {}
}
