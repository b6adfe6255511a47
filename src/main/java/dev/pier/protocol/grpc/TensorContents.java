package dev.pier.protocol.grpc;

import com.google.protobuf.ByteString;
import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorData;
import dev.pier.protocol.grpc.v2.InferTensorContents;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts between {@link Tensor} and the typed {@code InferTensorContents} of V2 gRPC. Each datatype has
 * one contents field (INT8/16/32 share int_contents, UINT8/16/32 uint_contents); FP16 and BF16 have none and
 * travel only as raw contents. Stateless.
 */
final class TensorContents {
    private TensorContents() {}

    static Tensor decode(String name, DataType type, Shape shape, InferTensorContents c) {
        long expected = shape.elementCount();
        return switch (type) {
            case BOOL -> {
                checkCount(name, shape, "bool_contents", c.getBoolContentsCount());
                ByteBuffer b = buffer(c.getBoolContentsCount(), 1);
                c.getBoolContentsList().forEach(v -> b.put((byte) (v ? 1 : 0)));
                yield packed(name, type, shape, b);
            }
            case INT8, INT16, INT32 -> {
                checkCount(name, shape, "int_contents", c.getIntContentsCount());
                ByteBuffer b = buffer(c.getIntContentsCount(), type.byteSize());
                long min = type == DataType.INT8
                        ? Byte.MIN_VALUE
                        : type == DataType.INT16 ? Short.MIN_VALUE : Integer.MIN_VALUE;
                long max = type == DataType.INT8
                        ? Byte.MAX_VALUE
                        : type == DataType.INT16 ? Short.MAX_VALUE : Integer.MAX_VALUE;
                for (int i = 0; i < c.getIntContentsCount(); i++) {
                    putInt(b, type, range(name, type, c.getIntContents(i), min, max, i));
                }
                yield packed(name, type, shape, b);
            }
            case UINT8, UINT16, UINT32 -> {
                checkCount(name, shape, "uint_contents", c.getUintContentsCount());
                ByteBuffer b = buffer(c.getUintContentsCount(), type.byteSize());
                long max = type == DataType.UINT8 ? 255 : type == DataType.UINT16 ? 65535 : 0xFFFF_FFFFL;
                for (int i = 0; i < c.getUintContentsCount(); i++) {
                    putInt(b, type, range(name, type, Integer.toUnsignedLong(c.getUintContents(i)), 0, max, i));
                }
                yield packed(name, type, shape, b);
            }
            case INT64 -> {
                checkCount(name, shape, "int64_contents", c.getInt64ContentsCount());
                ByteBuffer b = buffer(c.getInt64ContentsCount(), 8);
                c.getInt64ContentsList().forEach(b::putLong);
                yield packed(name, type, shape, b);
            }
            case UINT64 -> {
                checkCount(name, shape, "uint64_contents", c.getUint64ContentsCount());
                ByteBuffer b = buffer(c.getUint64ContentsCount(), 8);
                c.getUint64ContentsList().forEach(b::putLong);
                yield packed(name, type, shape, b);
            }
            case FP32 -> {
                checkCount(name, shape, "fp32_contents", c.getFp32ContentsCount());
                ByteBuffer b = buffer(c.getFp32ContentsCount(), 4);
                for (int i = 0; i < c.getFp32ContentsCount(); i++) {
                    b.putFloat(c.getFp32Contents(i));
                }
                yield packed(name, type, shape, b);
            }
            case FP64 -> {
                checkCount(name, shape, "fp64_contents", c.getFp64ContentsCount());
                ByteBuffer b = buffer(c.getFp64ContentsCount(), 8);
                for (int i = 0; i < c.getFp64ContentsCount(); i++) {
                    b.putDouble(c.getFp64Contents(i));
                }
                yield packed(name, type, shape, b);
            }
            case BYTES -> {
                checkCount(name, shape, "bytes_contents", c.getBytesContentsCount());
                List<byte[]> elements = new ArrayList<>(c.getBytesContentsCount());
                c.getBytesContentsList().forEach(s -> elements.add(s.toByteArray()));
                yield new Tensor(name, type, shape, new TensorData.Strings(elements));
            }
            case FP16, BF16 ->
                throw new InvalidInputException("tensor '" + name + "' is " + type + ", which has no"
                        + " typed contents field; send it in raw_input_contents (expected " + expected + " elements)");
        };
    }

    /** Typed contents for a tensor; FP16/BF16 cannot be expressed and throw. */
    static InferTensorContents encode(Tensor t) {
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        if (t.datatype() == DataType.BYTES) {
            ((TensorData.Strings) t.data()).elements().forEach(e -> c.addBytesContents(ByteString.copyFrom(e)));
            return c.build();
        }
        ByteBuffer v = t.packed().view();
        int n = (int) t.elementCount();
        for (int i = 0; i < n; i++) {
            switch (t.datatype()) {
                case BOOL -> c.addBoolContents(v.get(i) != 0);
                case INT8 -> c.addIntContents(v.get(i));
                case INT16 -> c.addIntContents(v.getShort(i * 2));
                case INT32 -> c.addIntContents(v.getInt(i * 4));
                case UINT8 -> c.addUintContents(v.get(i) & 0xFF);
                case UINT16 -> c.addUintContents(v.getShort(i * 2) & 0xFFFF);
                case UINT32 -> c.addUintContents(v.getInt(i * 4));
                case INT64 -> c.addInt64Contents(v.getLong(i * 8));
                case UINT64 -> c.addUint64Contents(v.getLong(i * 8));
                case FP32 -> c.addFp32Contents(v.getFloat(i * 4));
                case FP64 -> c.addFp64Contents(v.getDouble(i * 8));
                default ->
                    throw new IllegalArgumentException(t.datatype() + " has no typed contents; use raw contents");
            }
        }
        return c.build();
    }

    private static void checkCount(String name, Shape shape, String field, int count) {
        if (shape.elementCount() != count) {
            throw new InvalidInputException("tensor '" + name + "': shape " + shape + " needs " + shape.elementCount()
                    + " elements but " + field + " has " + count);
        }
    }

    private static long range(String name, DataType type, long v, long min, long max, int i) {
        if (v < min || v > max) {
            throw new InvalidInputException("tensor '" + name + "' (" + type + "): value " + v + " at element " + i
                    + " is out of range [" + min + ", " + max + "]");
        }
        return v;
    }

    private static void putInt(ByteBuffer b, DataType type, long v) {
        switch (type.byteSize()) {
            case 1 -> b.put((byte) v);
            case 2 -> b.putShort((short) v);
            default -> b.putInt((int) v);
        }
    }

    private static ByteBuffer buffer(int count, int width) {
        return ByteBuffer.allocate(count * width).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static Tensor packed(String name, DataType type, Shape shape, ByteBuffer b) {
        b.flip();
        return new Tensor(name, type, shape, new TensorData.Packed(b));
    }
}
