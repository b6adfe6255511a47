package dev.pier.protocol.codec;

import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw tensor layout shared by the V2 binary tensor extension and gRPC {@code raw_*_contents}: fixed-width
 * elements packed little-endian; BYTES elements each preceded by a 4-byte little-endian length. Stateless.
 */
public final class RawTensors {
    private RawTensors() {}

    /** Decodes {@code length} bytes at {@code offset} of {@code source} into a tensor of the given shape. */
    public static Tensor decode(String name, DataType type, Shape shape, byte[] source, int offset, int length) {
        return decode(name, type, shape, ByteBuffer.wrap(source, offset, length));
    }

    /**
     * Decodes the remaining bytes of {@code source} (from its position, which is left unchanged) into a tensor
     * of the given shape. Fixed-width data is not copied: the tensor is a read-only view of those bytes, so the
     * caller must not change them afterwards (a protobuf {@code bytes} field parsed with aliasing, an HTTP body).
     */
    public static Tensor decode(String name, DataType type, Shape shape, ByteBuffer source) {
        int length = source.remaining();
        if (type != DataType.BYTES) {
            long expected = shape.elementCount() * type.byteSize();
            if (expected != length) {
                throw new InvalidInputException("input '" + name + "': shape " + shape + " of " + type + " needs "
                        + expected + " bytes of raw data but " + length + " were sent");
            }
            return new Tensor(name, type, shape, new TensorData.Packed(source));
        }
        ByteBuffer in = source.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> elements = new ArrayList<>((int) Math.min(shape.elementCount(), 1024));
        while (in.hasRemaining()) {
            if (in.remaining() < 4) {
                throw new InvalidInputException("input '" + name + "': raw BYTES data ends inside a 4-byte length"
                        + " prefix after " + elements.size() + " elements");
            }
            int n = in.getInt();
            if (n < 0 || n > in.remaining()) {
                throw new InvalidInputException("input '" + name + "': raw BYTES element " + elements.size()
                        + " declares " + Integer.toUnsignedString(n) + " bytes but only " + in.remaining() + " remain");
            }
            byte[] e = new byte[n];
            in.get(e);
            elements.add(e);
        }
        if (elements.size() != shape.elementCount()) {
            throw new InvalidInputException("input '" + name + "': shape " + shape + " needs " + shape.elementCount()
                    + " elements but the raw BYTES data holds " + elements.size());
        }
        return new Tensor(name, type, shape, new TensorData.Strings(elements));
    }

    /** Size of the raw encoding of a tensor. */
    public static int size(Tensor t) {
        if (t.data() instanceof TensorData.Strings s) {
            long n = 0;
            for (byte[] e : s.elements()) {
                n += 4 + e.length;
            }
            return Math.toIntExact(n);
        }
        return t.packed().byteLength();
    }

    /** The raw encoding of a tensor as a new array. */
    public static byte[] encode(Tensor t) {
        byte[] out = new byte[size(t)];
        write(t, out, 0);
        return out;
    }

    /**
     * Writes the raw encoding of {@code t} into {@code out} at {@code offset} (which must have {@link #size} bytes
     * free there) and returns the offset after it: one copy from the tensor's own bytes into the message.
     */
    public static int write(Tensor t, byte[] out, int offset) {
        if (t.data() instanceof TensorData.Packed p) {
            ByteBuffer v = p.view();
            int n = v.remaining();
            v.get(out, offset, n);
            return offset + n;
        }
        ByteBuffer b = ByteBuffer.wrap(out, offset, out.length - offset).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] e : ((TensorData.Strings) t.data()).elements()) {
            b.putInt(e.length).put(e);
        }
        return b.position();
    }
}
