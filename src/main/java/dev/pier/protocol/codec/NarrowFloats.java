package dev.pier.protocol.codec;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Rounds a decimal literal to FP16 or BF16 exactly once. The literal is first rounded to the nearest float
 * {@code f}; rounding {@code f} again to the narrow type gives the same result as rounding the literal
 * directly, except when {@code f} lands exactly on the midpoint between two narrow values (the literal may lie
 * just above or below it). Only then is the literal's exact value compared with the midpoint. Stateless.
 */
final class NarrowFloats {
    private NarrowFloats() {}

    /** {@code f} is finite and the float nearest to the literal at the parser's current token. */
    static short toFp16(float f, JsonParser p) throws IOException {
        short h = Float.floatToFloat16(f);
        return resolveTie(f, h, fp16Value(h), p, false);
    }

    static short toBf16(float f, JsonParser p) throws IOException {
        short h = TensorBuilder.toBf16(f);
        return resolveTie(f, h, TensorBuilder.fromBf16(h), p, true);
    }

    private static short resolveTie(float f, short h, double rounded, JsonParser p, boolean bf16) throws IOException {
        if (rounded == f) {
            return h;
        }
        // the neighbour on the other side of f, one step in the bit pattern (same sign)
        boolean roundedAway = Math.abs(rounded) > Math.abs(f);
        short other = (short) (roundedAway ? h - 1 : h + 1);
        double otherValue = bf16 ? bf16Value(other) : fp16Value(other);
        if (rounded + otherValue != 2.0 * f) {
            return h; // f is not a midpoint: rounding it again cannot differ from rounding the literal
        }
        int cmp = new BigDecimal(p.getText()).abs().compareTo(new BigDecimal(Math.abs(f)));
        if (cmp == 0) {
            return h; // a true tie: the conversion already chose the even neighbour
        }
        boolean wantAway = cmp > 0;
        return wantAway == roundedAway ? h : other;
    }

    /** The value of an FP16 bit pattern, with the overflow pattern counted as 65536 (where Infinity starts). */
    private static double fp16Value(short h) {
        return (h & 0x7FFF) == 0x7C00 ? Math.copySign(65536.0, (short) h) : Float.float16ToFloat(h);
    }

    private static double bf16Value(short h) {
        return (h & 0x7FFF) == 0x7F80 ? Math.copySign(0x1p128, (short) h) : TensorBuilder.fromBf16(h);
    }
}
