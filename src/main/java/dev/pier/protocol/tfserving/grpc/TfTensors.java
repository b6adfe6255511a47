package dev.pier.protocol.tfserving.grpc;

import com.google.protobuf.ByteString;
import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorData;
import dev.pier.protocol.codec.RawTensors;
import dev.pier.protocol.tfserving.proto.TensorProto;
import dev.pier.protocol.tfserving.proto.TensorShapeProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts between TensorFlow's {@link TensorProto} and Pier's {@link Tensor}. A request tensor is read from
 * {@code tensor_content} (row-major, little-endian: Pier's raw layout, so the bytes are taken as they are) or
 * from the typed field of its dtype ({@code float_val}, {@code double_val}, {@code int_val}, {@code int64_val},
 * {@code bool_val}, {@code string_val}, {@code half_val}, {@code uint32_val}, {@code uint64_val}); as in
 * TensorFlow, a typed field with one value fills the whole shape. Answers carry numbers in
 * {@code tensor_content} and strings in {@code string_val} (TensorFlow's tensor_content has no plain layout
 * for strings). Stateless.
 */
final class TfTensors {
    private TfTensors() {}

    /** Pier's datatype for a TensorFlow dtype; INVALID_ARGUMENT naming the input for one Pier does not serve. */
    static DataType datatype(String name, dev.pier.protocol.tfserving.proto.DataType dtype) {
        return switch (dtype) {
            case DT_FLOAT -> DataType.FP32;
            case DT_DOUBLE -> DataType.FP64;
            case DT_HALF -> DataType.FP16;
            case DT_BFLOAT16 -> DataType.BF16;
            case DT_INT8 -> DataType.INT8;
            case DT_INT16 -> DataType.INT16;
            case DT_INT32 -> DataType.INT32;
            case DT_INT64 -> DataType.INT64;
            case DT_UINT8 -> DataType.UINT8;
            case DT_UINT16 -> DataType.UINT16;
            case DT_UINT32 -> DataType.UINT32;
            case DT_UINT64 -> DataType.UINT64;
            case DT_BOOL -> DataType.BOOL;
            case DT_STRING -> DataType.BYTES;
            case DT_INVALID ->
                throw new InvalidInputException("input '" + name + "': dtype is not set; set it to the"
                        + " input's type (see GetModelMetadata)");
            default ->
                throw new InvalidInputException("input '" + name + "': dtype " + dtype + " is not supported;"
                        + " Pier serves DT_FLOAT, DT_DOUBLE, DT_HALF, DT_BFLOAT16, DT_INT8/16/32/64, DT_UINT8/16/32/64,"
                        + " DT_BOOL and DT_STRING");
        };
    }

    /** TensorFlow's dtype for a Pier datatype. */
    static dev.pier.protocol.tfserving.proto.DataType dtype(DataType type) {
        return switch (type) {
            case FP32 -> dev.pier.protocol.tfserving.proto.DataType.DT_FLOAT;
            case FP64 -> dev.pier.protocol.tfserving.proto.DataType.DT_DOUBLE;
            case FP16 -> dev.pier.protocol.tfserving.proto.DataType.DT_HALF;
            case BF16 -> dev.pier.protocol.tfserving.proto.DataType.DT_BFLOAT16;
            case INT8 -> dev.pier.protocol.tfserving.proto.DataType.DT_INT8;
            case INT16 -> dev.pier.protocol.tfserving.proto.DataType.DT_INT16;
            case INT32 -> dev.pier.protocol.tfserving.proto.DataType.DT_INT32;
            case INT64 -> dev.pier.protocol.tfserving.proto.DataType.DT_INT64;
            case UINT8 -> dev.pier.protocol.tfserving.proto.DataType.DT_UINT8;
            case UINT16 -> dev.pier.protocol.tfserving.proto.DataType.DT_UINT16;
            case UINT32 -> dev.pier.protocol.tfserving.proto.DataType.DT_UINT32;
            case UINT64 -> dev.pier.protocol.tfserving.proto.DataType.DT_UINT64;
            case BOOL -> dev.pier.protocol.tfserving.proto.DataType.DT_BOOL;
            case BYTES -> dev.pier.protocol.tfserving.proto.DataType.DT_STRING;
        };
    }

    static TensorShapeProto shapeProto(Shape shape) {
        TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
        for (long d : shape.toArray()) {
            b.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return b.build();
    }

    /** A request tensor; every failure names the input and says what was expected. */
    static Tensor decode(String name, TensorProto p) {
        DataType type = datatype(name, p.getDtype());
        Shape shape = shape(name, p.getTensorShape());
        int n = (int) shape.elementCount();
        if (!p.getTensorContent().isEmpty()) {
            if (type == DataType.BYTES) {
                throw new InvalidInputException(
                        "input '" + name + "': DT_STRING tensors must be sent in string_val," + " not tensor_content");
            }
            onlyField(name, p, "tensor_content");
            byte[] bytes = p.getTensorContent().toByteArray();
            long expected = (long) n * type.byteSize();
            if (bytes.length != expected) {
                throw new InvalidInputException("input '" + name + "': tensor_content has " + bytes.length
                        + " bytes but" + " shape " + shape + " of " + p.getDtype() + " needs " + expected);
            }
            return RawTensors.decode(name, type, shape, bytes, 0, bytes.length);
        }
        String field = field(type);
        onlyField(name, p, field);
        int count = count(p, field);
        if (count != n && !(count == 1 && n > 1)) {
            throw new InvalidInputException("input '" + name + "': shape " + shape + " needs " + n + " values but "
                    + field + " has " + count + " (send all of them, or one to fill the shape, or tensor_content)");
        }
        if (type == DataType.BYTES) {
            List<byte[]> elements = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                elements.add(p.getStringVal(count == 1 ? 0 : i).toByteArray());
            }
            return new Tensor(name, type, shape, new TensorData.Strings(elements));
        }
        ByteBuffer b = ByteBuffer.allocate(n * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            put(name, b, type, p, count == 1 ? 0 : i);
        }
        b.flip();
        return new Tensor(name, type, shape, new TensorData.Packed(b));
    }

    /** An answer tensor: numbers in tensor_content, strings in string_val. */
    static TensorProto encode(Tensor t) {
        TensorProto.Builder b =
                TensorProto.newBuilder().setDtype(dtype(t.datatype())).setTensorShape(shapeProto(t.shape()));
        if (t.datatype() == DataType.BYTES) {
            ((TensorData.Strings) t.data()).elements().forEach(e -> b.addStringVal(ByteString.copyFrom(e)));
        } else {
            b.setTensorContent(ByteString.copyFrom(RawTensors.encode(t)));
        }
        return b.build();
    }

    private static Shape shape(String name, TensorShapeProto proto) {
        if (proto.getUnknownRank()) {
            throw new InvalidInputException(
                    "input '" + name + "': tensor_shape has unknown_rank; a request needs" + " concrete dimensions");
        }
        long[] dims = new long[proto.getDimCount()];
        long product = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = proto.getDim(i).getSize();
            if (dims[i] < 0) {
                throw new InvalidInputException("input '" + name + "': tensor_shape dimension " + i + " is " + dims[i]
                        + "; a request needs concrete dimensions");
            }
            product = dims[i] > Integer.MAX_VALUE && product != 0 ? Long.MAX_VALUE : product * dims[i];
            if (product > Integer.MAX_VALUE) {
                throw new InvalidInputException(
                        "input '" + name + "': tensor_shape has more elements than a tensor" + " can hold");
            }
        }
        return Shape.of(dims);
    }

    /** The typed field TensorFlow reads for a dtype. */
    private static String field(DataType type) {
        return switch (type) {
            case FP32 -> "float_val";
            case FP64 -> "double_val";
            case FP16, BF16 -> "half_val";
            case INT8, INT16, INT32, UINT8, UINT16 -> "int_val";
            case INT64 -> "int64_val";
            case UINT32 -> "uint32_val";
            case UINT64 -> "uint64_val";
            case BOOL -> "bool_val";
            case BYTES -> "string_val";
        };
    }

    private static int count(TensorProto p, String field) {
        return switch (field) {
            case "float_val" -> p.getFloatValCount();
            case "double_val" -> p.getDoubleValCount();
            case "half_val" -> p.getHalfValCount();
            case "int_val" -> p.getIntValCount();
            case "int64_val" -> p.getInt64ValCount();
            case "uint32_val" -> p.getUint32ValCount();
            case "uint64_val" -> p.getUint64ValCount();
            case "bool_val" -> p.getBoolValCount();
            case "string_val" -> p.getStringValCount();
            case "tensor_content" -> p.getTensorContent().isEmpty() ? 0 : 1;
            default -> throw new IllegalArgumentException(field);
        };
    }

    private static final List<String> VALUE_FIELDS = List.of(
            "float_val",
            "double_val",
            "half_val",
            "int_val",
            "int64_val",
            "uint32_val",
            "uint64_val",
            "bool_val",
            "string_val");

    /** A value in a field that the dtype does not read would be silently dropped: refuse it by name. */
    private static void onlyField(String name, TensorProto p, String expected) {
        for (String f : VALUE_FIELDS) {
            if (!f.equals(expected) && count(p, f) > 0) {
                throw new InvalidInputException("input '" + name + "' is " + p.getDtype() + ", which is read from "
                        + expected + (expected.equals("tensor_content") ? "" : " or tensor_content") + ", but it has "
                        + f + " set");
            }
        }
        if (p.getScomplexValCount() + p.getDcomplexValCount() > 0) {
            throw new InvalidInputException(
                    "input '" + name + "': complex values (scomplex_val/dcomplex_val) are not" + " supported");
        }
    }

    private static void put(String name, ByteBuffer b, DataType type, TensorProto p, int i) {
        switch (type) {
            case FP32 -> b.putFloat(p.getFloatVal(i));
            case FP64 -> b.putDouble(p.getDoubleVal(i));
            case FP16, BF16 -> b.putShort((short) range(name, type, p.getHalfVal(i) & 0xFFFFFFFFL, 0, 0xFFFF, i));
            case INT8 -> b.put((byte) range(name, type, p.getIntVal(i), Byte.MIN_VALUE, Byte.MAX_VALUE, i));
            case INT16 -> b.putShort((short) range(name, type, p.getIntVal(i), Short.MIN_VALUE, Short.MAX_VALUE, i));
            case INT32 -> b.putInt(p.getIntVal(i));
            case UINT8 -> b.put((byte) range(name, type, p.getIntVal(i), 0, 255, i));
            case UINT16 -> b.putShort((short) range(name, type, p.getIntVal(i), 0, 65535, i));
            case INT64 -> b.putLong(p.getInt64Val(i));
            case UINT32 -> b.putInt(p.getUint32Val(i));
            case UINT64 -> b.putLong(p.getUint64Val(i));
            case BOOL -> b.put((byte) (p.getBoolVal(i) ? 1 : 0));
            case BYTES -> throw new IllegalStateException("strings are not packed");
        }
    }

    private static long range(String name, DataType type, long v, long min, long max, int i) {
        if (v < min || v > max) {
            throw new InvalidInputException("input '" + name + "' (" + dtype(type) + "): value " + v + " at element "
                    + i + " is out of range [" + min + ", " + max + "]");
        }
        return v;
    }
}
