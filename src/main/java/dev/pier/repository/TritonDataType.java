package dev.pier.repository;

import dev.pier.api.DataType;

/**
 * Tensor types as Triton's model configuration names them ({@code data_type: TYPE_FP32}), each mapped to
 * the V2 {@link DataType}. TYPE_STRING is V2's BYTES.
 */
public enum TritonDataType {
    TYPE_BOOL(DataType.BOOL),
    TYPE_UINT8(DataType.UINT8),
    TYPE_UINT16(DataType.UINT16),
    TYPE_UINT32(DataType.UINT32),
    TYPE_UINT64(DataType.UINT64),
    TYPE_INT8(DataType.INT8),
    TYPE_INT16(DataType.INT16),
    TYPE_INT32(DataType.INT32),
    TYPE_INT64(DataType.INT64),
    TYPE_FP16(DataType.FP16),
    TYPE_BF16(DataType.BF16),
    TYPE_FP32(DataType.FP32),
    TYPE_FP64(DataType.FP64),
    TYPE_STRING(DataType.BYTES);

    private final DataType dataType;

    TritonDataType(DataType dataType) {
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
    }

    /** The Triton name of a V2 type (BYTES is TYPE_STRING). */
    public static TritonDataType of(DataType type) {
        for (TritonDataType t : values()) {
            if (t.dataType == type) {
                return t;
            }
        }
        throw new IllegalArgumentException("no Triton type for " + type);
    }
}
