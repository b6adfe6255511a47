package dev.pier.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The elements of a tensor, in one of two encodings that every protocol and the runtime share:
 * fixed-width types as packed little-endian bytes (exactly the V2 binary / {@code raw_*_contents}
 * layout, so those paths copy no element one by one), and BYTES as a list of byte strings.
 */
public sealed interface TensorData {

    /** Number of elements this data holds for the given type. */
    long elementCount(DataType type);

    /** Packed little-endian elements of a fixed-width type. The buffer is read-only, position 0. */
    record Packed(ByteBuffer bytes) implements TensorData {
        public Packed {
            bytes = bytes.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }

        public static Packed wrap(byte[] littleEndian) {
            return new Packed(ByteBuffer.wrap(littleEndian));
        }

        public int byteLength() {
            return bytes.remaining();
        }

        /** A fresh little-endian view, positioned at 0, for reading. */
        public ByteBuffer view() {
            return bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        }

        public byte[] toByteArray() {
            byte[] out = new byte[bytes.remaining()];
            view().get(out);
            return out;
        }

        @Override
        public long elementCount(DataType type) {
            return bytes.remaining() / type.byteSize();
        }
    }

    /** Elements of a BYTES tensor; each is an arbitrary byte string (UTF-8 text for ONNX strings). */
    record Strings(List<byte[]> elements) implements TensorData {
        public Strings {
            elements = List.copyOf(elements);
        }

        @Override
        public long elementCount(DataType type) {
            return elements.size();
        }
    }
}
