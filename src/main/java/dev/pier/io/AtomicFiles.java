package dev.pier.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Atomic output files, the one way Pier writes its outputs (models, reports, manifests, configs): content
 * goes to a temp file beside the target (same file system), which is then made world-readable (temp files
 * start owner-only, and a non-root container must still read a model) and moved over the target in one
 * step, so readers see the old content or the new, never half, and a failed write leaves nothing behind.
 * Stateless.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /** A temp file in {@code target}'s directory (created if missing) for {@link #publish}. */
    public static Path tempFor(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    }

    /** Moves {@code tmp} over {@code target} atomically, with mode 0644 where the file system has modes. */
    public static void publish(Path tmp, Path target) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
        if (posix != null) {
            posix.setPermissions(PosixFilePermissions.fromString("rw-r--r--"));
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes {@code text} as UTF-8 to {@code target} atomically. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code content} to {@code target} atomically. */
    public static void write(Path target, byte[] content) throws IOException {
        Path tmp = tempFor(target);
        try {
            try (java.nio.channels.FileChannel ch =
                    java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true); // on disk before it becomes visible under the target's name
            }
            publish(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@link #write} for callers that cannot throw checked exceptions; the message names the file. */
    public static void writeUnchecked(Path target, byte[] content) {
        try {
            write(target, content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
