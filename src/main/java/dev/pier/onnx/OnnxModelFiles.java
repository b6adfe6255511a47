package dev.pier.onnx;

import dev.pier.onnx.proto.ModelProto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Atomic writing of ONNX models: the bytes go to a temporary file in the target directory, are forced to
 * disk, then moved over the target in one step, so a reader never sees a partial model (a serving
 * process may be watching the directory). Stateless and thread-safe.
 */
public final class OnnxModelFiles {
    private OnnxModelFiles() {
    }

    public static Path save(ModelProto model, Path file) {
        return writeAtomically(model.toByteArray(), file);
    }

    /** Writes bytes to {@code file} atomically; the temporary file is removed on any failure. */
    public static Path writeAtomically(byte[] bytes, Path file) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot move atomically", e);
            }
            tmp = null;
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ONNX model to " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the original error is what matters
                }
            }
        }
    }
}
