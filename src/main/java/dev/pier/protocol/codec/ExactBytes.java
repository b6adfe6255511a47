package dev.pier.protocol.codec;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * Collects what a Jackson generator writes into one array of exactly the written size. The generator
 * buffers up to 8,000 bytes in a recycled buffer of its own and hands them over in one write on close, so a
 * small answer costs one array of its own size: no growing 256-byte steps and no copy at the end (as
 * {@code ByteArrayOutputStream} makes). Not thread-safe; one per message.
 */
public final class ExactBytes extends OutputStream {
    private byte[] bytes = new byte[0];
    private int size;

    @Override
    public void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    public int size() {
        return size;
    }

    /** The bytes written; the same array when it is exactly full (the common case), else a trimmed copy. */
    public byte[] toByteArray() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
        int needed = Math.addExact(size, more);
        if (needed > bytes.length) {
            // the first write sizes the array exactly; later ones (answers over 8,000 bytes) grow it by half
            int grown = size == 0 ? needed : Math.max(needed, bytes.length + (bytes.length >> 1));
            bytes = Arrays.copyOf(bytes, grown);
        }
    }
}
