package dev.pier.protocol.codec;

import java.util.Objects;

/**
 * A run of bytes inside a larger array: a request body as the HTTP layer holds it, handed to the decoders
 * without copying it into an array of its own. The bytes must not change while a decoder reads them.
 */
public record ByteSlice(byte[] array, int offset, int length) {
    public ByteSlice {
        Objects.checkFromIndexSize(offset, length, array.length);
    }

    public static ByteSlice of(byte[] array) {
        return new ByteSlice(array, 0, array.length);
    }
}
