package dev.pier.onnx;

import dev.pier.api.DataType;
import dev.pier.onnx.proto.TensorProto;
import java.util.Optional;

/**
 * Maps between ONNX element types ({@link TensorProto.DataType} numbers) and Pier's V2 {@link DataType}.
 * ONNX STRING is V2 BYTES. ONNX types without a V2 counterpart (complex, float8, 4-bit) map to empty.
 * Stateless and thread-safe.
 */
public final class OnnxTypes {
    private OnnxTypes() {}

    /** The ONNX element type for a V2 type. */
    public static TensorProto.DataType toOnnx(DataType type) {
        return switch (type) {
            case BOOL -> TensorProto.DataType.BOOL;
            case UINT8 -> TensorProto.DataType.UINT8;
            case UINT16 -> TensorProto.DataType.UINT16;
            case UINT32 -> TensorProto.DataType.UINT32;
            case UINT64 -> TensorProto.DataType.UINT64;
            case INT8 -> TensorProto.DataType.INT8;
            case INT16 -> TensorProto.DataType.INT16;
            case INT32 -> TensorProto.DataType.INT32;
            case INT64 -> TensorProto.DataType.INT64;
            case FP16 -> TensorProto.DataType.FLOAT16;
            case BF16 -> TensorProto.DataType.BFLOAT16;
            case FP32 -> TensorProto.DataType.FLOAT;
            case FP64 -> TensorProto.DataType.DOUBLE;
            case BYTES -> TensorProto.DataType.STRING;
        };
    }

    /** The V2 type for an ONNX element type number; empty when V2 has none. */
    public static Optional<DataType> fromOnnx(int onnxElementType) {
        TensorProto.DataType t = TensorProto.DataType.forNumber(onnxElementType);
        if (t == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(
                switch (t) {
                    case BOOL -> DataType.BOOL;
                    case UINT8 -> DataType.UINT8;
                    case UINT16 -> DataType.UINT16;
                    case UINT32 -> DataType.UINT32;
                    case UINT64 -> DataType.UINT64;
                    case INT8 -> DataType.INT8;
                    case INT16 -> DataType.INT16;
                    case INT32 -> DataType.INT32;
                    case INT64 -> DataType.INT64;
                    case FLOAT16 -> DataType.FP16;
                    case BFLOAT16 -> DataType.BF16;
                    case FLOAT -> DataType.FP32;
                    case DOUBLE -> DataType.FP64;
                    case STRING -> DataType.BYTES;
                    default -> null;
                });
    }

    /** The ONNX name of an element type number (for instance {@code "FLOAT"}), or {@code "TYPE_<n>"}. */
    public static String onnxName(int onnxElementType) {
        TensorProto.DataType t = TensorProto.DataType.forNumber(onnxElementType);
        return t == null ? "TYPE_" + onnxElementType : t.name();
    }

    /**
     * Bytes per element in raw_data for an ONNX element type; 0 for STRING and for sub-byte types, which
     * callers must handle separately.
     */
    public static int rawByteSize(int onnxElementType) {
        TensorProto.DataType t = TensorProto.DataType.forNumber(onnxElementType);
        if (t == null) {
            return 0;
        }
        return switch (t) {
            case BOOL, UINT8, INT8, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ, FLOAT8E8M0 -> 1;
            case UINT16, INT16, FLOAT16, BFLOAT16 -> 2;
            case UINT32, INT32, FLOAT -> 4;
            case UINT64, INT64, DOUBLE, COMPLEX64 -> 8;
            case COMPLEX128 -> 16;
            default -> 0;
        };
    }
}
