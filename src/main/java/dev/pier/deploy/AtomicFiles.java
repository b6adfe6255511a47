package dev.pier.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Atomic output files: content goes to a temp file beside the target, which is then made world-readable
 * (temp files start owner-only) and moved over the target in one step, so readers never see half a file.
 * Stateless.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

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
        Path tmp = tempFor(target);
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            publish(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
