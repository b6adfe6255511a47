package dev.pier.api;

import java.util.Locale;
import java.util.Optional;

/**
 * Tensor element types, named as in the KServe V2 / Open Inference Protocol. Every protocol and the
 * runtime map onto these names; {@link #byteSize()} is the width of one element in the little-endian
 * raw encoding (0 for {@link #BYTES}, whose elements are length-prefixed byte strings).
 */
public enum DataType {
    BOOL(1),
    UINT8(1),
    UINT16(2),
    UINT32(4),
    UINT64(8),
    INT8(1),
    INT16(2),
    INT32(4),
    INT64(8),
    FP16(2),
    BF16(2),
    FP32(4),
    FP64(8),
    BYTES(0);

    private final int byteSize;

    DataType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Width of one element in the raw little-endian encoding; 0 for BYTES. */
    public int byteSize() {
        return byteSize;
    }

    public boolean isFloatingPoint() {
        return this == FP16 || this == BF16 || this == FP32 || this == FP64;
    }

    public boolean isUnsigned() {
        return this == UINT8 || this == UINT16 || this == UINT32 || this == UINT64;
    }

    /** The V2 wire name (for instance {@code "FP32"}). */
    public String wireName() {
        return name();
    }

    /** Parses a V2 datatype name, case-insensitively; empty when it names no V2 type. */
    public static Optional<DataType> fromWireName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
