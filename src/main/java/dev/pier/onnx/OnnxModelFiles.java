package dev.pier.onnx;

import dev.pier.onnx.proto.ModelProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Atomic writing of ONNX models: the bytes go to a temporary file in the target directory, are forced to
 * disk, then moved over the target in one step, so a reader never sees a partial model (a serving
 * process may be watching the directory). Stateless and thread-safe.
 */
public final class OnnxModelFiles {
    private OnnxModelFiles() {}

    public static Path save(ModelProto model, Path file) {
        return writeAtomically(model.toByteArray(), file);
    }

    /** Writes bytes to {@code file} atomically; the temporary file is removed on any failure. */
    public static Path writeAtomically(byte[] bytes, Path file) {
        try {
            dev.pier.io.AtomicFiles.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ONNX model to " + file + ": " + e.getMessage(), e);
        }
    }
}
