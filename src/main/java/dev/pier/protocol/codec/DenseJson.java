package dev.pier.protocol.codec;

import ch.randelshofer.fastdoubleparser.JavaFloatParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
    // the numbers read, as little-endian FP32, in an array written through a view: no buffer position to keep
    private byte[] out;
    private int outLength;
    private long count;
    /** Lengths of the nested levels below the outer array, as the first element showed them. */
    private final long[] dims = new long[MAX_DEPTH];

    private int leafDepth = -1;

    // the number being read by number(): its significant digits as an integer, how many there were (past 18
    // only counted), and minus the count of fraction digits in the mantissa
    private long mantissa;
    private int significant;
    private int scale;

    public DenseJson(ByteSlice body, long expectedElements) {
        this.in = body.array();
        this.pos = body.offset();
        this.end = body.offset() + body.length();
        this.out = buffer(Math.max(expectedElements, 16));
        java.util.Arrays.fill(dims, -1);
    }

    /** Sizes the buffer for {@code elements} numbers when nothing was read yet (a shape read before the data). */
    public void expect(long elements) {
        if (count == 0 && elements > out.length / 4) {
            out = buffer(elements);
        }
    }

    /** Room for {@code elements} floats, at most 2^20 up front (a larger body grows it as it comes). */
    private static byte[] buffer(long elements) {
        return new byte[(int) Math.min(elements, 1 << 20) * 4];
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
        return ByteBuffer.wrap(out, 0, outLength).order(ByteOrder.LITTLE_ENDIAN);
    }

    private boolean value(int depth) {
        int c = peek();
        if (c == '[') {
            if (depth >= MAX_DEPTH) {
                return false;
            }
            pos++;
            int first = peek();
            if (first == ']') {
                return false;
            }
            // an array of numbers (the innermost level) reads each one directly, not through a call to value
            boolean numbers = first != '[' && (leafDepth < 0 || leafDepth == depth + 1);
            if (numbers) {
                leafDepth = depth + 1;
            }
            long n = 0;
            do {
                if (!(numbers ? peek() >= 0 && number() : value(depth + 1))) {
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
        boolean negative = i < end && in[i] == '-';
        if (negative) {
            i++;
        }
        if (i >= end) {
            return false;
        }
        // The significant digits are gathered while the grammar is checked, so the common number (at most 18
        // significant digits, a small exponent) is converted without a second pass; see nearestFloat.
        mantissa = 0;
        significant = 0; // digits gathered after the first non-zero one
        scale = 0; // minus the fraction digits gathered
        if (in[i] == '0') {
            i++;
        } else if (in[i] >= '1' && in[i] <= '9') {
            i = gather(i, false);
        } else {
            return false;
        }
        if (i < end && in[i] == '.') {
            int j = gather(i + 1, true);
            if (j == i + 1) {
                return false;
            }
            i = j;
        }
        int exponent = 0;
        boolean exponentFits = true;
        if (i < end && (in[i] == 'e' || in[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < end && (in[i] == '+' || in[i] == '-')) {
                negativeExponent = in[i] == '-';
                i++;
            }
            int j = i;
            for (; j < end && in[j] >= '0' && in[j] <= '9'; j++) {
                if (exponent < 100_000) {
                    exponent = exponent * 10 + (in[j] - '0');
                } else {
                    exponentFits = false;
                }
            }
            if (j == i) {
                return false;
            }
            i = j;
            if (negativeExponent) {
                exponent = -exponent;
            }
        }
        if (i - start > StreamReadConstraints.DEFAULT_MAX_NUM_LEN) {
            return false; // the general reader (Jackson) refuses numbers this long
        }
        float f;
        if (mantissa == 0) { // only zeros: a non-zero digit is always gathered, being among the first 18
            f = negative ? -0.0f : 0.0f; // every spelling of zero, whatever its exponent
        } else {
            f = significant <= MAX_GATHERED && exponentFits ? nearestFloat(mantissa, scale + exponent) : Float.NaN;
            if (Float.isNaN(f)) {
                f = JavaFloatParser.parseFloat(in, start, i - start);
            } else if (negative) {
                f = -f;
            }
        }
        if (Float.isInfinite(f)) {
            return false; // refused with its own message by the general reader
        }
        if (out.length - outLength < 4) {
            out = java.util.Arrays.copyOf(out, out.length * 2);
        }
        LITTLE_ENDIAN_FLOAT.set(out, outLength, f);
        outLength += 4;
        count++;
        pos = i;
        return true;
    }

    /**
     * Reads the run of digits from {@code i} into the number's mantissa, eight bytes at a time where the array
     * has them; returns where the run ends. In a fraction, leading zeros are not significant but still scale.
     */
    private int gather(int i, boolean fraction) {
        while (i + Long.BYTES <= in.length) {
            long word = (long) LITTLE_ENDIAN_LONG.get(in, i);
            int run = Math.min(leadingDigits(word), end - i);
            if (run == 0) {
                return i;
            }
            if (significant + run > MAX_GATHERED) {
                break; // the rare long mantissa: one digit at a time, counting what is not gathered
            }
            long value = digitsValue(word, run);
            if (fraction) {
                scale -= run;
                if (mantissa == 0) { // only the digits from the first non-zero one are significant
                    int zeros = Long.numberOfTrailingZeros(word ^ ASCII_ZEROS) >>> 3;
                    significant += value == 0 ? 0 : run - zeros;
                } else {
                    significant += run;
                }
            } else {
                significant += run;
            }
            mantissa = mantissa * POWERS_OF_TEN_LONG[run] + value;
            i += run;
            if (run < Long.BYTES) {
                return i;
            }
        }
        for (; i < end && in[i] >= '0' && in[i] <= '9'; i++) {
            if (significant < MAX_GATHERED) { // more leave the number to the exact parser anyway
                mantissa = mantissa * 10 + (in[i] - '0');
                if (fraction) {
                    scale--;
                }
            }
            if (!fraction || mantissa != 0) {
                significant++;
            }
        }
        return i;
    }

    private static final VarHandle LITTLE_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LITTLE_ENDIAN_FLOAT =
            MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ASCII_ZEROS = 0x3030303030303030L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    /**
     * How many of the word's bytes, from its first (lowest) one, are ASCII digits. A byte below '0' sets its high
     * bit in {@code word - '0'...}, one above '9' in {@code word + 0x46...}; carries and borrows only travel to
     * later bytes, so the first flagged byte is the first non-digit.
     */
    private static int leadingDigits(long word) {
        long flagged = ((word - ASCII_ZEROS) | (word + 0x4646464646464646L)) & HIGH_BITS;
        return Long.numberOfTrailingZeros(flagged) >>> 3; // 64 >>> 3 = 8 when all are digits
    }

    /**
     * The value of the word's first {@code run} bytes (1 to 8 ASCII digits, the first the most significant):
     * moved to the top so that zeros lead, then pairs, then fours combined by multiplication, in-register.
     */
    private static long digitsValue(long word, int run) {
        long x = (word - ASCII_ZEROS) << ((Long.BYTES - run) * 8);
        x = x * 10 + (x >>> 8); // each even byte: two digits, below 100
        // bytes 0, 2, 4, 6 hold the pairs p0..p3; the upper half of the sum is p0*10^6 + p1*10^4 + p2*10^2 + p3
        return ((x & 0x000000FF000000FFL) * (100 + (1_000_000L << 32))
                        + ((x >>> 16) & 0x000000FF000000FFL) * (1 + (10_000L << 32)))
                >>> 32;
    }

    private static final long[] POWERS_OF_TEN_LONG = {
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000
    };

    /** Significant digits a long always holds (10^18 < 2^63). */
    private static final int MAX_GATHERED = 18;

    /** 10^0 .. 10^22: every one exactly a double (5^22 < 2^53). */
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22
    };

    /**
     * 10^0 .. 10^-22, each the double nearest to it (a Java literal is read that way): a multiplication by one
     * costs a fraction of a division by the exact power, for at most half a double ulp more error (see
     * nearestFloat).
     */
    private static final double[] NEGATIVE_POWERS_OF_TEN = {
        1e-0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12, 1e-13, 1e-14, 1e-15, 1e-16,
        1e-17, 1e-18, 1e-19, 1e-20, 1e-21, 1e-22
    };

    private static final long DROPPED_BITS = (1L << 29) - 1; // a double's 52 fraction bits less a float's 23
    private static final long FLOAT_MIDPOINT = 1L << 28;
    /** Double ulps kept clear of a halfway point: the three roundings below err by at most 3 of them. */
    private static final long MARGIN = 4;

    /**
     * The float nearest to {@code mantissa × 10^exponent} (mantissa positive, below 10^18), or NaN where this
     * shortcut cannot tell. In double arithmetic the value is off by at most 3 ulps: the mantissa rounded once to
     * a double (exact up to 2^53), then one correctly rounded multiplication by a power of ten (exact for
     * positive exponents, the nearest double to it for negative ones): three relative errors of at most 2^-53,
     * each at most one ulp of the result.
     * Nearest-float rounding is the same for every number between two adjacent halfway points (the points halfway
     * between floats), and each of those is a double; so unless the double lies within a few ulps of one, the
     * value it stands for rounds to the same float as it does. Near one (1 in 2^26 of all values), and for results
     * beyond the float range, the exact parser decides. In range, 1e-22 to 1e40, the result is a normal float or
     * beyond MAX_VALUE, where the halfway points are the doubles whose 29 bits a float drops are 1 followed by
     * zeros (MAX_VALUE's upper halfway point, where rounding overflows, included).
     */
    static float nearestFloat(long mantissa, int exponent) {
        if (exponent < -22 || exponent > 22) {
            return Float.NaN;
        }
        double m = mantissa;
        double d = m * (exponent < 0 ? NEGATIVE_POWERS_OF_TEN[-exponent] : POWERS_OF_TEN[exponent]);
        if (Math.abs((Double.doubleToRawLongBits(d) & DROPPED_BITS) - FLOAT_MIDPOINT) <= MARGIN) {
            return Float.NaN;
        }
        float f = (float) d;
        return Float.isInfinite(f) ? Float.NaN : f;
    }

    private int digits(int i) {
        while (i < end && in[i] >= '0' && in[i] <= '9') {
            i++;
        }
        return i;
    }
}
