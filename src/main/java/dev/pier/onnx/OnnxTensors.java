package dev.pier.onnx;

import com.google.protobuf.ByteString;
import dev.pier.api.DataType;
import dev.pier.onnx.proto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Factories for {@link TensorProto} constants (initializers, Constant values). Fixed-width data is stored in
 * {@code raw_data} as little-endian bytes, the form ONNX Runtime loads fastest. Each factory checks that
 * the data length matches the shape. Stateless and thread-safe.
 */
public final class OnnxTensors {
    private OnnxTensors() {}

    public static TensorProto floats(String name, long[] dims, float... data) {
        ByteBuffer buf = le(data.length, 4, name, dims);
        buf.asFloatBuffer().put(data);
        return raw(name, DataType.FP32, dims, buf);
    }

    public static TensorProto doubles(String name, long[] dims, double... data) {
        ByteBuffer buf = le(data.length, 8, name, dims);
        buf.asDoubleBuffer().put(data);
        return raw(name, DataType.FP64, dims, buf);
    }

    public static TensorProto longs(String name, long[] dims, long... data) {
        ByteBuffer buf = le(data.length, 8, name, dims);
        buf.asLongBuffer().put(data);
        return raw(name, DataType.INT64, dims, buf);
    }

    public static TensorProto ints(String name, long[] dims, int... data) {
        ByteBuffer buf = le(data.length, 4, name, dims);
        buf.asIntBuffer().put(data);
        return raw(name, DataType.INT32, dims, buf);
    }

    /** A tensor of any fixed-width type from packed little-endian bytes. */
    public static TensorProto packed(String name, DataType type, long[] dims, byte[] littleEndian) {
        if (type == DataType.BYTES) {
            throw new IllegalArgumentException("tensor '" + name + "': use strings(...) for BYTES");
        }
        long expected = elements(dims) * type.byteSize();
        if (littleEndian.length != expected) {
            throw new IllegalArgumentException("tensor '" + name + "' of shape " + Arrays.toString(dims) + " " + type
                    + " needs " + expected + " bytes, got " + littleEndian.length);
        }
        return raw(name, type, dims, ByteBuffer.wrap(littleEndian));
    }

    public static TensorProto strings(String name, long[] dims, String... data) {
        check(data.length, name, dims);
        TensorProto.Builder b = header(name, DataType.BYTES, dims);
        for (String s : data) {
            b.addStringData(ByteString.copyFrom(s, StandardCharsets.UTF_8));
        }
        return b.build();
    }

    /** Product of the dims (1 for a scalar). */
    public static long elements(long[] dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("constant tensor dims must be >= 0, got " + Arrays.toString(dims));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static ByteBuffer le(int count, int width, String name, long[] dims) {
        check(count, name, dims);
        return ByteBuffer.allocate(Math.multiplyExact(count, width)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void check(int count, String name, long[] dims) {
        long expected = elements(dims);
        if (expected != count) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(dims) + " ("
                    + expected + " elements) but " + count + " values were given");
        }
    }

    private static TensorProto raw(String name, DataType type, long[] dims, ByteBuffer littleEndian) {
        return header(name, type, dims)
                .setRawData(ByteString.copyFrom(littleEndian.rewind()))
                .build();
    }

    private static TensorProto.Builder header(String name, DataType type, long[] dims) {
        TensorProto.Builder b =
                TensorProto.newBuilder().setDataType(OnnxTypes.toOnnx(type).getNumber());
        if (name != null) {
            b.setName(name);
        }
        for (long d : dims) {
            b.addDims(d);
        }
        return b;
    }
}
