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
        if (type != DataType.BYTES) {
            long expected = shape.elementCount() * type.byteSize();
            if (expected != length) {
                throw new InvalidInputException("input '" + name + "': shape " + shape + " of " + type + " needs "
                        + expected + " bytes of raw data but " + length + " were sent");
            }
            return new Tensor(name, type, shape, new TensorData.Packed(ByteBuffer.wrap(source, offset, length)));
        }
        ByteBuffer in = ByteBuffer.wrap(source, offset, length).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> elements = new ArrayList<>();
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
        if (t.data() instanceof TensorData.Packed p) {
            return p.toByteArray();
        }
        ByteBuffer out = ByteBuffer.allocate(size(t)).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] e : ((TensorData.Strings) t.data()).elements()) {
            out.putInt(e.length).put(e);
        }
        return out.array();
    }
}
