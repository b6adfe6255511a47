package dev.pier.data;

import dev.pier.api.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the IDX format of the MNIST distribution (big-endian header: magic {@code 0x00000801} for label
 * files, {@code 0x00000803} for image files, then the dimension sizes, then unsigned bytes). Stateless.
 * Every failure names the file and what was wrong with it, so a corrupt cache is easy to spot.
 */
final class IdxReader {
    static final int LABELS_MAGIC = 0x00000801;
    static final int IMAGES_MAGIC = 0x00000803;

    private IdxReader() {}

    /** Labels as ints 0..255, at most {@code limit} of them (or all when {@code limit < 0}). */
    static int[] readLabels(Path file, int limit) throws IOException {
        byte[] bytes = read(file);
        ByteBuffer buf = header(file, bytes, LABELS_MAGIC, 1);
        int count = buf.getInt();
        requireLength(file, bytes, 8L + count);
        int n = limit < 0 ? count : Math.min(limit, count);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = bytes[8 + i] & 0xFF;
        }
        return labels;
    }

    /** Images as raw bytes scaled to [0,1], row-major, with their row and column counts. */
    static Images readImages(Path file, int limit) throws IOException {
        byte[] bytes = read(file);
        ByteBuffer buf = header(file, bytes, IMAGES_MAGIC, 3);
        int count = buf.getInt();
        int rows = buf.getInt();
        int cols = buf.getInt();
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw corrupt(file, "header declares " + count + " images of " + rows + "x" + cols);
        }
        long per = (long) rows * cols;
        requireLength(file, bytes, 16L + count * per);
        int n = limit < 0 ? count : Math.min(limit, count);
        float[] pixels = new float[Math.toIntExact(n * per)];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (bytes[16 + i] & 0xFF) / 255f;
        }
        return new Images(n, rows, cols, pixels);
    }

    record Images(int count, int rows, int cols, float[] pixels) {}

    private static byte[] read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "MNIST IDX file not found");
        }
        return Files.readAllBytes(file);
    }

    private static ByteBuffer header(Path file, byte[] bytes, int magic, int dims) {
        requireLength(file, bytes, 4L + 4L * dims);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        int found = buf.getInt();
        if (found != magic) {
            throw corrupt(
                    file,
                    String.format(
                            "wrong magic number 0x%08x, expected 0x%08x (%s file)%s",
                            found,
                            magic,
                            magic == LABELS_MAGIC ? "label" : "image",
                            (found >>> 16) == 0x1f8b ? "; the file is gzipped, decompress it first" : ""));
        }
        return buf;
    }

    private static void requireLength(Path file, byte[] bytes, long needed) {
        if (bytes.length < needed) {
            throw corrupt(file, "truncated: " + bytes.length + " bytes, the header needs " + needed);
        }
    }

    private static InvalidInputException corrupt(Path file, String problem) {
        return new InvalidInputException("corrupt MNIST file " + file + ": " + problem);
    }
}
