package dev.pier.protocol.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Tensor;
import dev.pier.api.TensorData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Writes tensor elements as JSON: flat (V2 {@code data}), nested row-major by shape (TF Serving), or one
 * slice along the first dimension (one TF Serving prediction). Stateless per call; thread-safe.
 */
public final class TensorWriter {
    /** How BYTES elements are written. */
    public enum StringStyle {
        /** Always a JSON string (V2); invalid UTF-8 is replaced. */
        TEXT,
        /** TF Serving: {@code {"b64": ...}} when the tensor name ends in {@code _bytes} or the bytes are not UTF-8. */
        TF_SERVING
    }

    /** What happens to NaN and ±Infinity elements, which JSON itself has no numbers for. */
    public enum NonFinite {
        /** Written as the bare tokens {@code NaN}, {@code Infinity}, {@code -Infinity} (TF Serving's REST API does). */
        TOKENS,
        /**
         * Refused with a client error naming the tensor and element (the KServe V2 JSON encoding: strict JSON
         * parsers in other languages reject the bare tokens); the binary tensor extension carries such values.
         */
        REFUSE
    }

    private final Tensor tensor;
    private final ByteBuffer view;
    private final List<byte[]> strings;
    private final boolean b64Always;
    private final StringStyle style;
    private final NonFinite nonFinite;
    /** Float and double digits are formatted here and copied out, so no String is made per element. */
    private final StringBuilder digits = new StringBuilder(32);

    private final char[] chars = new char[32];

    public TensorWriter(Tensor tensor, StringStyle style) {
        this(tensor, style, NonFinite.TOKENS);
    }

    public TensorWriter(Tensor tensor, StringStyle style, NonFinite nonFinite) {
        this.tensor = tensor;
        this.style = style;
        this.nonFinite = nonFinite;
        if (tensor.data() instanceof TensorData.Strings s) {
            strings = s.elements();
            view = null;
        } else {
            strings = null;
            view = tensor.packed().view();
        }
        this.b64Always = style == StringStyle.TF_SERVING && tensor.name().endsWith("_bytes");
    }

    /** All elements as one flat array. */
    public void writeFlat(JsonGenerator g) throws IOException {
        long n = tensor.elementCount();
        g.writeStartArray();
        for (int i = 0; i < n; i++) {
            writeElement(g, i);
        }
        g.writeEndArray();
    }

    /** All elements nested by the tensor's shape (a scalar for rank 0). */
    public void writeNested(JsonGenerator g) throws IOException {
        writeNested(g, tensor.shape().toArray(), 0, 0);
    }

    /** The {@code index}-th slice along dimension 0, nested by the remaining dimensions. */
    public void writeSlice(JsonGenerator g, long index) throws IOException {
        long[] dims = tensor.shape().toArray();
        long stride = 1;
        for (int i = 1; i < dims.length; i++) {
            stride *= dims[i];
        }
        writeNested(g, dims, 1, index * stride);
    }

    private long writeNested(JsonGenerator g, long[] dims, int axis, long offset) throws IOException {
        if (axis == dims.length) {
            writeElement(g, (int) offset);
            return offset + 1;
        }
        g.writeStartArray();
        long next = offset;
        for (long i = 0; i < dims[axis]; i++) {
            next = writeNested(g, dims, axis + 1, next);
        }
        g.writeEndArray();
        return next;
    }

    public void writeElement(JsonGenerator g, int i) throws IOException {
        DataType type = tensor.datatype();
        switch (type) {
            case BOOL -> g.writeBoolean(view.get(i) != 0);
            case INT8 -> g.writeNumber(view.get(i));
            case UINT8 -> g.writeNumber(view.get(i) & 0xFF);
            case INT16 -> g.writeNumber(view.getShort(i * 2));
            case UINT16 -> g.writeNumber(view.getShort(i * 2) & 0xFFFF);
            case INT32 -> g.writeNumber(view.getInt(i * 4));
            case UINT32 -> g.writeNumber(Integer.toUnsignedLong(view.getInt(i * 4)));
            case INT64 -> g.writeNumber(view.getLong(i * 8));
            case UINT64 -> {
                long v = view.getLong(i * 8);
                if (v >= 0) {
                    g.writeNumber(v);
                } else {
                    g.writeNumber(Long.toUnsignedString(v));
                }
            }
            case FP16 -> writeFloat(g, Float.float16ToFloat(view.getShort(i * 2)), i);
            case BF16 -> writeFloat(g, TensorBuilder.fromBf16(view.getShort(i * 2)), i);
            case FP32 -> writeFloat(g, view.getFloat(i * 4), i);
            case FP64 -> writeDouble(g, view.getDouble(i * 8), i);
            case BYTES -> writeString(g, strings.get(i));
        }
    }

    /**
     * The shortest decimal that parses back to the same float ({@link Float#toString}'s digits since JDK 19),
     * formatted into a reused builder: {@code StringBuilder.append(float)} writes the digits in place.
     */
    private void writeFloat(JsonGenerator g, float f, int index) throws IOException {
        if (!Float.isFinite(f)) {
            writeNonFinite(g, f, index);
            return;
        }
        digits.setLength(0);
        digits.append(f);
        writeDigits(g);
    }

    private void writeDouble(JsonGenerator g, double d, int index) throws IOException {
        if (!Double.isFinite(d)) {
            writeNonFinite(g, d, index);
            return;
        }
        digits.setLength(0);
        digits.append(d);
        writeDigits(g);
    }

    private void writeDigits(JsonGenerator g) throws IOException {
        int n = digits.length();
        digits.getChars(0, n, chars, 0);
        g.writeRawValue(chars, 0, n);
    }

    private void writeNonFinite(JsonGenerator g, double value, int index) throws IOException {
        String token = Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
        if (nonFinite == NonFinite.REFUSE) {
            throw new InvalidInputException("tensor '" + tensor.name() + "' (" + tensor.datatype() + ") holds "
                    + token + " at element " + index + ", which JSON cannot represent; use the binary tensor"
                    + " extension for it (for outputs: parameters {\"binary_data_output\": true}, or"
                    + " {\"binary_data\": true} on the requested output; for inputs: binary_data_size) or gRPC");
        }
        g.writeRawValue(token);
    }

    private void writeString(JsonGenerator g, byte[] bytes) throws IOException {
        if (style == StringStyle.TEXT) {
            g.writeString(new String(bytes, StandardCharsets.UTF_8));
            return;
        }
        String text = b64Always ? null : strictUtf8(bytes);
        if (text != null) {
            g.writeString(text);
        } else {
            g.writeStartObject();
            g.writeStringField("b64", Base64.getEncoder().encodeToString(bytes));
            g.writeEndObject();
        }
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
