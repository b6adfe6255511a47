package dev.pier.onnx;

import dev.pier.api.InvalidInputException;
import dev.pier.onnx.proto.StringStringEntryProto;
import dev.pier.onnx.proto.TensorProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Decodes the numbers in a {@link TensorProto}, whichever of ONNX's encodings a tool chose: {@code raw_data}
 * (little-endian), the typed {@code *_data} fields (FLOAT16/BFLOAT16 bit patterns travel in
 * {@code int32_data}), or external data files next to the model. Stateless and thread-safe.
 */
public final class OnnxTensorValues {
    private OnnxTensorValues() {}

    /** Number of elements the dims declare (1 for a scalar). */
    public static long elementCount(TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /**
     * The elements converted to float (integers and doubles are rounded to the nearest float).
     *
     * @param modelDir directory of the model file, where external data files are looked up; may be null
     *                 when the tensor has no external data
     */
    public static float[] toFloats(TensorProto t, Path modelDir) {
        int type = t.getDataType();
        int n = Math.toIntExact(elementCount(t));
        if (type == TensorProto.DataType.STRING_VALUE) {
            throw new IllegalArgumentException("tensor '" + t.getName() + "' holds strings, not numbers");
        }
        ByteBuffer raw = rawBytes(t, modelDir);
        if (raw != null) {
            return fromRaw(t, raw, n);
        }
        float[] out = new float[n];
        TensorProto.DataType dt = TensorProto.DataType.forNumber(type);
        if (dt == null) {
            throw unsupported(t);
        }
        switch (dt) {
            case FLOAT -> copy(t, t.getFloatDataCount(), n, i -> t.getFloatData(i), out);
            case DOUBLE -> copy(t, t.getDoubleDataCount(), n, i -> (float) t.getDoubleData(i), out);
            case INT64 -> copy(t, t.getInt64DataCount(), n, i -> (float) t.getInt64Data(i), out);
            case UINT32 -> copy(t, t.getUint64DataCount(), n, i -> (float) t.getUint64Data(i), out);
            case UINT64 -> copy(t, t.getUint64DataCount(), n, i -> unsignedToFloat(t.getUint64Data(i)), out);
            case FLOAT16 ->
                copy(t, t.getInt32DataCount(), n, i -> Float.float16ToFloat((short) t.getInt32Data(i)), out);
            case BFLOAT16 -> copy(t, t.getInt32DataCount(), n, i -> Float.intBitsToFloat(t.getInt32Data(i) << 16), out);
            case INT32, INT16, INT8, UINT16, UINT8, BOOL ->
                copy(t, t.getInt32DataCount(), n, i -> (float) t.getInt32Data(i), out);
            default -> throw unsupported(t);
        }
        return out;
    }

    private interface Element {
        float at(int i);
    }

    private static void copy(TensorProto t, int available, int n, Element e, float[] out) {
        if (available != n) {
            throw new InvalidInputException("tensor '" + t.getName() + "' declares " + n + " elements (dims "
                    + t.getDimsList() + ") but holds " + available);
        }
        for (int i = 0; i < n; i++) {
            out[i] = e.at(i);
        }
    }

    private static float[] fromRaw(TensorProto t, ByteBuffer raw, int n) {
        int width = OnnxTypes.rawByteSize(t.getDataType());
        if (width == 0
                || t.getDataType() == TensorProto.DataType.COMPLEX64_VALUE
                || t.getDataType() == TensorProto.DataType.COMPLEX128_VALUE
                || width == 1 && isFloat8(t.getDataType())) {
            throw unsupported(t);
        }
        if (raw.remaining() != (long) n * width) {
            throw new InvalidInputException("tensor '" + t.getName() + "' declares " + n + " elements of " + width
                    + " bytes (dims " + t.getDimsList() + ") but has " + raw.remaining() + " bytes of data");
        }
        raw.order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[n];
        TensorProto.DataType dt = TensorProto.DataType.forNumber(t.getDataType());
        switch (dt) {
            case FLOAT -> raw.asFloatBuffer().get(out);
            case DOUBLE -> fill(out, i -> (float) raw.getDouble(i * 8));
            case INT64 -> fill(out, i -> (float) raw.getLong(i * 8));
            case UINT64 -> fill(out, i -> unsignedToFloat(raw.getLong(i * 8)));
            case INT32 -> fill(out, i -> (float) raw.getInt(i * 4));
            case UINT32 -> fill(out, i -> (float) Integer.toUnsignedLong(raw.getInt(i * 4)));
            case INT16 -> fill(out, i -> (float) raw.getShort(i * 2));
            case UINT16 -> fill(out, i -> (float) Short.toUnsignedInt(raw.getShort(i * 2)));
            case FLOAT16 -> fill(out, i -> Float.float16ToFloat(raw.getShort(i * 2)));
            case BFLOAT16 -> fill(out, i -> Float.intBitsToFloat(Short.toUnsignedInt(raw.getShort(i * 2)) << 16));
            case INT8 -> fill(out, i -> (float) raw.get(i));
            case UINT8, BOOL -> fill(out, i -> (float) Byte.toUnsignedInt(raw.get(i)));
            default -> throw unsupported(t);
        }
        return out;
    }

    private static void fill(float[] out, Element e) {
        for (int i = 0; i < out.length; i++) {
            out[i] = e.at(i);
        }
    }

    private static boolean isFloat8(int type) {
        return type >= TensorProto.DataType.FLOAT8E4M3FN_VALUE && type <= TensorProto.DataType.FLOAT8E5M2FNUZ_VALUE
                || type == TensorProto.DataType.FLOAT8E8M0_VALUE;
    }

    private static float unsignedToFloat(long v) {
        return v >= 0 ? (float) v : (float) (v >>> 1) * 2f;
    }

    /** raw_data, or the external bytes; null when the tensor uses typed fields. */
    private static ByteBuffer rawBytes(TensorProto t, Path modelDir) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return external(t, modelDir);
        }
        if (t.hasRawData()) {
            return t.getRawData().asReadOnlyByteBuffer();
        }
        return null;
    }

    private static ByteBuffer external(TensorProto t, Path modelDir) {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = Long.parseLong(e.getValue());
                case "length" -> length = Long.parseLong(e.getValue());
                default -> {}
            }
        }
        if (location == null || modelDir == null) {
            throw new InvalidInputException("tensor '" + t.getName() + "' has external data without a location"
                    + " (or the model directory is unknown)");
        }
        Path file = modelDir.resolve(location).normalize();
        if (!file.startsWith(modelDir.normalize())) {
            throw new InvalidInputException(
                    "tensor '" + t.getName() + "' points outside the model directory: " + location);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long len = length >= 0 ? length : ch.size() - offset;
            ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(len));
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    throw new InvalidInputException("external data file " + file + " ends before byte " + (offset + len)
                            + " needed by tensor '" + t.getName() + "'");
                }
            }
            return buf.flip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read external data " + file + " of tensor '" + t.getName() + "'", e);
        }
    }

    private static IllegalArgumentException unsupported(TensorProto t) {
        return new IllegalArgumentException("tensor '" + t.getName() + "' has element type "
                + OnnxTypes.onnxName(t.getDataType()) + " (dims "
                + Arrays.toString(t.getDimsList().toArray())
                + "), which cannot be read as float");
    }
}
