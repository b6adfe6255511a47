package dev.pier.protocol.kserve;

import dev.pier.api.InvalidInputException;

/**
 * The bytes after the JSON header of a binary-tensor-extension message, handed out to tensors in order.
 * Not thread-safe; one per message.
 */
final class BinarySection {
    private final byte[] source;
    private final int end;
    private int pos;

    BinarySection(byte[] source, int start, int end) {
        this.source = source;
        this.pos = start;
        this.end = end;
    }

    static BinarySection empty() {
        return new BinarySection(new byte[0], 0, 0);
    }

    byte[] source() {
        return source;
    }

    /** Reserves the next {@code size} bytes for tensor {@code name}; returns their offset. */
    int take(String name, long size) {
        if (size < 0 || size > end - pos) {
            throw new InvalidInputException("tensor '" + name + "' declares binary_data_size " + size + " but only "
                    + (end - pos) + " bytes of binary data remain after the JSON header");
        }
        int at = pos;
        pos += (int) size;
        return at;
    }

    void requireConsumed() {
        if (pos != end) {
            throw new InvalidInputException((end - pos) + " bytes of binary data after the JSON header belong to no"
                    + " tensor; the binary_data_size parameters must add up to the binary part");
        }
    }
}
