package dev.pier.protocol.codec;

import ch.randelshofer.fastdoubleparser.JavaFloatParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A reader of the one shape that dominates inference traffic, straight from the request bytes: a JSON array,
 * possibly nested, of plain numbers, read into packed little-endian FP32. Each number is checked against JSON's
 * grammar and parsed exactly ({@link Float#parseFloat}'s rounding, by fastdoubleparser) from the bytes where it
 * lies: no tokens, no per-number text copy, no per-element objects.
 *
 * <p>It only ever accepts: anything else (an empty or ragged array, mixed depths, strings, objects, NaN or
 * Infinity, a number beyond the float range, bad syntax) makes it give up and return -1, and the caller decodes
 * the request with its general reader, which also words the error. So this path can never answer differently,
 * only faster. Not thread-safe; one per request.
 */
public final class DenseJson {
    private static final int MAX_DEPTH = 8;

    private final byte[] in;
    private final int end;
    private int pos;
    private ByteBuffer out;
    private long count;
    /** Lengths of the nested levels below the outer array, as the first element showed them. */
    private final long[] dims = new long[MAX_DEPTH];

    private int leafDepth = -1;

    public DenseJson(ByteSlice body, long expectedElements) {
        this.in = body.array();
        this.pos = body.offset();
        this.end = body.offset() + body.length();
        this.out = buffer(Math.max(expectedElements, 16));
        java.util.Arrays.fill(dims, -1);
    }

    /** Sizes the buffer for {@code elements} numbers when nothing was read yet (a shape read before the data). */
    public void expect(long elements) {
        if (count == 0 && elements > out.capacity() / 4) {
            out = buffer(elements);
        }
    }

    /** Room for {@code elements} floats, at most 2^20 up front (a larger body grows it as it comes). */
    private static ByteBuffer buffer(long elements) {
        return ByteBuffer.allocate((int) Math.min(elements, 1 << 20) * 4).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A non-negative JSON integer of at most 18 digits (a dimension); -1 when the next value is anything else.
     */
    public long natural() {
        peek();
        int i = pos;
        int j = digits(i);
        if (j == i
                || j - i > 18
                || (in[i] == '0' && j - i > 1)
                || j < end && (in[j] == '.' || in[j] == 'e' || in[j] == 'E')) {
            return -1;
        }
        long v = 0;
        for (int k = i; k < j; k++) {
            v = v * 10 + (in[k] - '0');
        }
        pos = j;
        return v;
    }

    /** Skips JSON whitespace; returns the next byte, or -1 at the end. */
    public int peek() {
        while (pos < end) {
            byte b = in[pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b;
            }
            pos++;
        }
        return -1;
    }

    /** Consumes {@code c} after whitespace; false (nothing consumed) when the next byte is another. */
    public boolean take(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    /**
     * A string without escapes, as a key or a short value; null when the next value is not one (the caller
     * gives up).
     */
    public String simpleString() {
        if (!take('"')) {
            return null;
        }
        int start = pos;
        while (pos < end) {
            byte b = in[pos];
            if (b == '"') {
                String s = new String(in, start, pos - start, java.nio.charset.StandardCharsets.ISO_8859_1);
                pos++;
                return s;
            }
            if (b == '\\' || b < 0x20) {
                return null; // escapes and non-ASCII: the general reader's job
            }
            pos++;
        }
        return null;
    }

    /**
     * Reads one array whose elements are the rows (TF Serving's instances): every row a number or a
     * rectangular nested array of numbers, all alike. Returns the number of rows, or -1 when the value is not
     * such an array (the position is then meaningless).
     */
    public int rows() {
        if (!take('[')) {
            return -1;
        }
        if (take(']')) {
            return -1; // empty: the general reader says so
        }
        int n = 0;
        do {
            if (!value(0)) {
                return -1;
            }
            n++;
        } while (take(','));
        return take(']') ? n : -1;
    }

    /** The shape of one row read by {@link #rows()} (empty when each row is a number). */
    public long[] rowDims() {
        long[] d = new long[leafDepth];
        System.arraycopy(dims, 0, d, 0, leafDepth);
        return d;
    }

    public long count() {
        return count;
    }

    /** The numbers read, packed, ready to read from 0. */
    public ByteBuffer packed() {
        return out.flip();
    }

    private boolean value(int depth) {
        int c = peek();
        if (c == '[') {
            if (depth >= MAX_DEPTH) {
                return false;
            }
            pos++;
            if (take(']')) {
                return false;
            }
            long n = 0;
            do {
                if (!value(depth + 1)) {
                    return false;
                }
                n++;
            } while (take(','));
            if (!take(']')) {
                return false;
            }
            if (dims[depth] < 0) {
                dims[depth] = n;
            } else if (dims[depth] != n) {
                return false; // ragged
            }
            return true;
        }
        if (leafDepth < 0) {
            leafDepth = depth;
        } else if (leafDepth != depth) {
            return false;
        }
        return number();
    }

    /** One JSON number (RFC 8259's grammar), parsed exactly; false on anything else or beyond the float range. */
    private boolean number() {
        int start = pos;
        int i = pos;
        if (i < end && in[i] == '-') {
            i++;
        }
        if (i >= end) {
            return false;
        }
        if (in[i] == '0') {
            i++;
        } else if (in[i] >= '1' && in[i] <= '9') {
            i = digits(i);
        } else {
            return false;
        }
        if (i < end && in[i] == '.') {
            int j = digits(i + 1);
            if (j == i + 1) {
                return false;
            }
            i = j;
        }
        if (i < end && (in[i] == 'e' || in[i] == 'E')) {
            i++;
            if (i < end && (in[i] == '+' || in[i] == '-')) {
                i++;
            }
            int j = digits(i);
            if (j == i) {
                return false;
            }
            i = j;
        }
        if (i - start > StreamReadConstraints.DEFAULT_MAX_NUM_LEN) {
            return false; // the general reader (Jackson) refuses numbers this long
        }
        float f = JavaFloatParser.parseFloat(in, start, i - start);
        if (Float.isInfinite(f)) {
            return false; // refused with its own message by the general reader
        }
        if (out.remaining() < 4) {
            ByteBuffer bigger = ByteBuffer.allocate(out.capacity() * 2).order(ByteOrder.LITTLE_ENDIAN);
            bigger.put(out.flip());
            out = bigger;
        }
        out.putFloat(f);
        count++;
        pos = i;
        return true;
    }

    private int digits(int i) {
        while (i < end && in[i] >= '0' && in[i] <= '9') {
            i++;
        }
        return i;
    }
}
