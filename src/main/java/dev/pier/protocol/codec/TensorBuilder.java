package dev.pier.protocol.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorData;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Accumulates the elements of one tensor straight from JSON tokens into the packed little-endian layout
 * (or a byte-string list for BYTES), checking each value against the datatype. Not thread-safe; one per
 * tensor being decoded.
 */
public final class TensorBuilder {
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final int MAX_PREALLOCATED = 1 << 20;

    private final String name;
    private final DataType type;
    private final boolean allowB64;
    private ByteBuffer buf;
    private final List<byte[]> strings;
    private long count;

    /**
     * @param name      tensor name, used in error messages
     * @param expected  element count hint (from a declared shape), or -1
     * @param allowB64  accept TF Serving's {@code {"b64": "..."}} objects for BYTES elements
     */
    public TensorBuilder(String name, DataType type, long expected, boolean allowB64) {
        this.name = name;
        this.type = type;
        this.allowB64 = allowB64;
        if (type == DataType.BYTES) {
            strings = new ArrayList<>();
            buf = null;
        } else {
            strings = null;
            long n = expected < 0 ? 64 : Math.min(Math.max(expected, 1), MAX_PREALLOCATED);
            buf = ByteBuffer.allocate((int) n * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    public long count() {
        return count;
    }

    public DataType type() {
        return type;
    }

    /** True when the current token is a leaf value for this type (a b64 object counts as a leaf for BYTES). */
    public boolean isLeafObject(JsonToken t) {
        return t == JsonToken.START_OBJECT && allowB64 && type == DataType.BYTES;
    }

    /** Adds the value at the parser's current token. */
    public void add(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (type) {
            case BOOL -> {
                if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                    ensure(1).put((byte) (t == JsonToken.VALUE_TRUE ? 1 : 0));
                } else {
                    throw wrong(p, t, "a boolean (true/false)");
                }
            }
            case INT8 -> ensure(1).put((byte) integer(p, t, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case UINT8 -> ensure(1).put((byte) integer(p, t, 0, 255));
            case INT16 -> ensure(2).putShort((short) integer(p, t, Short.MIN_VALUE, Short.MAX_VALUE));
            case UINT16 -> ensure(2).putShort((short) integer(p, t, 0, 65535));
            case INT32 -> ensure(4).putInt((int) integer(p, t, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case UINT32 -> ensure(4).putInt((int) integer(p, t, 0, 0xFFFF_FFFFL));
            case INT64 -> ensure(8).putLong(integer(p, t, Long.MIN_VALUE, Long.MAX_VALUE));
            case UINT64 -> ensure(8).putLong(uint64(p, t));
            case FP16 -> ensure(2).putShort(narrow(p, t, false));
            case BF16 -> ensure(2).putShort(narrow(p, t, true));
            case FP32 -> ensure(4).putFloat(fp32(p, t));
            case FP64 -> ensure(8).putDouble(fp64(p, t));
            case BYTES -> strings.add(bytes(p, t));
        }
        count++;
    }

    /** Adds one element given as raw bytes (BYTES only). */
    public void addBytes(byte[] element) {
        strings.add(element);
        count++;
    }

    public Tensor build(Shape shape) {
        TensorData data;
        if (type == DataType.BYTES) {
            data = new TensorData.Strings(strings);
        } else {
            buf.flip();
            data = new TensorData.Packed(buf);
        }
        if (shape.isFullyDefined() && shape.elementCount() != count) {
            throw new InvalidInputException("input '" + name + "': shape " + shape + " needs " + shape.elementCount()
                    + " elements but 'data' has " + count);
        }
        return new Tensor(name, type, shape, data);
    }

    private ByteBuffer ensure(int width) {
        if (buf.remaining() < width) {
            int grown = Math.max(buf.capacity() * 2, buf.capacity() + width);
            ByteBuffer bigger = ByteBuffer.allocate(grown).order(ByteOrder.LITTLE_ENDIAN);
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
        return buf;
    }

    private long integer(JsonParser p, JsonToken t, long min, long max) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw wrong(p, t, "an integer");
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw outOfRange(p, min, max);
        }
        long v = p.getLongValue();
        if (v < min || v > max) {
            throw outOfRange(p, min, max);
        }
        return v;
    }

    private long uint64(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw wrong(p, t, "an integer");
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            BigInteger b = p.getBigIntegerValue();
            if (b.signum() < 0 || b.compareTo(UINT64_MAX) > 0) {
                throw new InvalidInputException("input '" + name + "' (UINT64): value " + b + " at element " + count
                        + " is out of range [0, " + UINT64_MAX + "]");
            }
            return b.longValue();
        }
        long v = p.getLongValue();
        if (v < 0) {
            throw new InvalidInputException(
                    "input '" + name + "' (UINT64): value " + v + " at element " + count + " is negative");
        }
        return v;
    }

    /**
     * An FP32 element. A JSON number is parsed from the parser's own character buffer (no String per
     * element) and rounded once, exactly as {@link Float#parseFloat} does; a finite literal beyond the
     * float range is refused rather than silently becoming Infinity.
     */
    private float fp32(JsonParser p, JsonToken t) throws IOException {
        if (isNumber(t)) {
            char[] text = p.getTextCharacters();
            int offset = p.getTextOffset();
            int length = p.getTextLength();
            if (isNonFiniteToken(text, offset, length)) {
                return (float) nonFiniteToken(text, offset);
            }
            float f = NumberInput.parseFloat(text, offset, length, true);
            if (Float.isInfinite(f)) {
                throw tooLarge(p);
            }
            return f;
        }
        return (float) quotedNonFinite(p, t);
    }

    private double fp64(JsonParser p, JsonToken t) throws IOException {
        if (isNumber(t)) {
            char[] text = p.getTextCharacters();
            int offset = p.getTextOffset();
            int length = p.getTextLength();
            if (isNonFiniteToken(text, offset, length)) {
                return nonFiniteToken(text, offset);
            }
            double d = NumberInput.parseDouble(text, offset, length, true);
            if (Double.isInfinite(d)) {
                throw tooLarge(p);
            }
            return d;
        }
        return quotedNonFinite(p, t);
    }

    /**
     * True for the bare tokens NaN, Infinity, -Infinity (and Jackson's INF spellings): a JSON number always ends
     * in a digit. Decided on the text, because a parser replaying buffered tokens reports them only as text.
     */
    private static boolean isNonFiniteToken(char[] text, int offset, int length) {
        return length > 0 && !Character.isDigit(text[offset + length - 1]);
    }

    private static double nonFiniteToken(char[] text, int offset) {
        return switch (text[offset]) {
            case 'N' -> Double.NaN;
            case '-' -> Double.NEGATIVE_INFINITY;
            default -> Double.POSITIVE_INFINITY;
        };
    }

    /** An FP16 or BF16 element: the float is rounded once more, exactly (see {@link NarrowFloats}). */
    private short narrow(JsonParser p, JsonToken t, boolean bf16) throws IOException {
        float f = fp32(p, t);
        if (!Float.isFinite(f)) {
            return bf16 ? toBf16(f) : Float.floatToFloat16(f);
        }
        short h = bf16 ? NarrowFloats.toBf16(f, p) : NarrowFloats.toFp16(f, p);
        float back = bf16 ? fromBf16(h) : Float.float16ToFloat(h);
        if (Float.isInfinite(back)) {
            throw tooLarge(p);
        }
        return h;
    }

    private static boolean isNumber(JsonToken t) {
        return t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT;
    }

    /** The non-finite values quoted, as some clients send them. */
    private double quotedNonFinite(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            switch (p.getText()) {
                case "NaN", "nan" -> {
                    return Double.NaN;
                }
                case "Infinity", "inf", "+Infinity" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-Infinity", "-inf" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> {}
            }
        }
        throw wrong(p, t, "a number");
    }

    /** A finite literal too large for the element type (it would round to Infinity). */
    private InvalidInputException tooLarge(JsonParser p) throws IOException {
        String max = switch (type) {
            case FP64 -> Double.toString(Double.MAX_VALUE);
            case FP16 -> Float.toString(Float.float16ToFloat((short) 0x7BFF));
            case BF16 -> Float.toString(fromBf16((short) 0x7F7F));
            default -> Float.toString(Float.MAX_VALUE);
        };
        return new InvalidInputException("input '" + name + "' (" + type + "): value " + Json.abbreviate(p.getText())
                + " at element " + count + " is out of range: the largest finite " + type + " is " + max);
    }

    private byte[] bytes(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText().getBytes(StandardCharsets.UTF_8);
        }
        if (isLeafObject(t)) {
            JsonToken f = p.nextToken();
            if (f != JsonToken.FIELD_NAME || !"b64".equals(p.currentName())) {
                throw new InvalidInputException("input '" + name + "': a string element given as an object must be"
                        + " {\"b64\": \"...\"}, got field "
                        + (f == JsonToken.FIELD_NAME ? "'" + p.currentName() + "'" : "none"));
            }
            String encoded = Json.string(p, "b64");
            byte[] out;
            try {
                out = Base64.getDecoder().decode(encoded == null ? "" : encoded);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("input '" + name + "': 'b64' value at element " + count
                        + " is not valid base64: " + e.getMessage());
            }
            if (p.nextToken() != JsonToken.END_OBJECT) {
                throw new InvalidInputException("input '" + name + "': {\"b64\": ...} must have no other fields, got '"
                        + p.currentName() + "'");
            }
            return out;
        }
        throw wrong(p, t, allowB64 ? "a string or {\"b64\": ...}" : "a string");
    }

    private InvalidInputException wrong(JsonParser p, JsonToken t, String expected) throws IOException {
        return new InvalidInputException("input '" + name + "' has datatype " + type + ": expected " + expected
                + " at element " + count + ", got " + Json.describe(p, t));
    }

    private InvalidInputException outOfRange(JsonParser p, long min, long max) throws IOException {
        return new InvalidInputException("input '" + name + "' (" + type + "): value " + p.getText() + " at element "
                + count + " is out of range [" + min + ", " + max + "]");
    }

    /** Round-to-nearest-even conversion to bfloat16 (the upper half of the float bits). */
    public static short toBf16(float f) {
        if (Float.isNaN(f)) {
            return (short) 0x7FC0;
        }
        int bits = Float.floatToRawIntBits(f);
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    public static float fromBf16(short s) {
        return Float.intBitsToFloat((s & 0xFFFF) << 16);
    }
}
