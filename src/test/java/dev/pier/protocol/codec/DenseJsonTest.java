package dev.pier.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * DenseJson's one-pass conversion ({@link DenseJson#nearestFloat}) against {@link Float#parseFloat}: wherever it
 * answers it must give the very same float, and on a value exactly halfway between two floats it must leave the
 * number to the exact parser.
 */
class DenseJsonTest {
    private static final long SEED = 20261206L;

    private static float[] read(String json) {
        DenseJson dense = new DenseJson(ByteSlice.of(json.getBytes(StandardCharsets.US_ASCII)), 4);
        assertThat(dense.rows()).as("dense reader takes %s", json).isPositive();
        var packed = dense.packed().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[packed.remaining() / 4];
        packed.asFloatBuffer().get(out);
        return out;
    }

    @Test
    void shortcutAgreesWithParseFloatOnRandomDecimals() {
        SplittableRandom random = new SplittableRandom(SEED);
        int answered = 0;
        for (int n = 0; n < 2_000_000; n++) {
            int digits = 1 + random.nextInt(18);
            long mantissa = random.nextLong(1, pow10(digits));
            int exponent = random.nextInt(-24, 25);
            float fast = DenseJson.nearestFloat(mantissa, exponent);
            if (Float.isNaN(fast)) {
                continue;
            }
            answered++;
            String text = mantissa + "e" + exponent;
            assertThat(Float.floatToRawIntBits(fast))
                    .as("%s", text)
                    .isEqualTo(Float.floatToRawIntBits(Float.parseFloat(text)));
        }
        assertThat(answered).as("the shortcut answers nearly all of them").isGreaterThan(1_500_000);
    }

    @Test
    void valuesHalfwayBetweenTwoFloatsAreLeftToTheExactParser() {
        // Above 2^24 floats are 2 apart, so every odd integer there is halfway between two of them.
        assertThat(DenseJson.nearestFloat(16_777_217L, 0)).isNaN();
        assertThat(DenseJson.nearestFloat(16_777_219L, 0)).isNaN();
        assertThat(DenseJson.nearestFloat(16_777_218L, 0)).isEqualTo(16_777_218f);
        SplittableRandom random = new SplittableRandom(SEED);
        for (int n = 0; n < 100_000; n++) {
            // a float f with room below 2^53, and the point halfway to the next float up, as a whole number
            float f = (float) random.nextLong(1L << 25, 1L << 52);
            BigDecimal halfway =
                    new BigDecimal(f).add(new BigDecimal(Math.nextUp(f))).divide(BigDecimal.valueOf(2));
            long mantissa = halfway.longValueExact();
            if (mantissa >= 1_000_000_000_000_000_000L) {
                continue;
            }
            assertThat(DenseJson.nearestFloat(mantissa, 0)).as("%s", halfway).isNaN();
            // and the reader still rounds it as Float.parseFloat does (ties to even)
            assertThat(read("[" + mantissa + "]")[0]).isEqualTo(Float.parseFloat(Long.toString(mantissa)));
        }
    }

    @Test
    void numbersNextToHalfwayPointsAgreeWithParseFloat() {
        // The hard cases for a shortcut in double arithmetic: decimals of 14 to 18 digits that lie from a fraction
        // of a double ulp to a few hundred of them off a point halfway between two floats, above and below it, with
        // small and large magnitudes, and whole
        // numbers above 2^53, where the mantissa itself is rounded once more.
        SplittableRandom random = new SplittableRandom(SEED + 2);
        int answered = 0;
        for (int n = 0; n < 200_000; n++) {
            float f = Float.intBitsToFloat(random.nextInt(0x0A000000, 0x7E000000)); // about 1e-22 to 1e37
            BigDecimal halfway =
                    new BigDecimal(f).add(new BigDecimal(Math.nextUp(f))).divide(BigDecimal.valueOf(2));
            BigDecimal near = halfway.round(new java.math.MathContext(14 + random.nextInt(5)));
            long mantissa = near.unscaledValue().longValueExact();
            int exponent = -near.scale();
            String text = mantissa + "e" + exponent;
            float fast = DenseJson.nearestFloat(mantissa, exponent);
            if (!Float.isNaN(fast)) {
                answered++;
                assertThat(fast).as("%s", text).isEqualTo(Float.parseFloat(text));
            }
            long whole = random.nextLong(1L << 54, 1L << 59);
            for (long m = whole - 3; m <= whole + 3; m++) {
                float w = DenseJson.nearestFloat(m, 0);
                assertThat(Float.isNaN(w) || w == (float) m).as("%s", m).isTrue();
            }
        }
        assertThat(answered).as("those outside the margin take the shortcut").isGreaterThan(20_000);
    }

    @Test
    void everySpellingAgreesWithParseFloat() {
        String[] values = {
            "0",
            "-0",
            "0.0",
            "-0.0",
            "0e5",
            "-0E-5",
            "0.000000",
            "0.134364",
            "-0.847434",
            "1",
            "-1",
            "0.1",
            "1e-22",
            "1e-23",
            "9e22",
            "1e23",
            "123456789012345",
            "1234567890123456",
            "12345678901234567890",
            "0.000001",
            "1.5e-7",
            "3.4028235e38",
            "1.17549435e-38",
            "1e-45",
            "16777217",
            "16777217.0",
            "0.16777217e8",
            "33554433",
            "9007199254740993",
            "0.30000000000000004",
            "4.9406564584124654e-324",
            "123.456e-3",
            "100000000000000000000000",
            "0.00000000000000000000000000001"
        };
        readAsParseFloatDoes(values);
    }

    @Test
    void randomTextsAgreeWithParseFloat() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        String[] texts = new String[50_000];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = switch (random.nextInt(4)) {
                case 0 ->
                    Float.toString(Float.intBitsToFloat(random.nextInt()) % 1e30f)
                            .replace("NaN", "0");
                case 1 -> String.format(java.util.Locale.ROOT, "%.6f", random.nextDouble());
                case 2 ->
                    (random.nextBoolean() ? "-" : "") + "0." + "0".repeat(random.nextInt(25))
                            + random.nextLong(1, 1_000_000_000L);
                default -> random.nextLong(1, Long.MAX_VALUE) + "e" + random.nextInt(-40, 20);
            };
        }
        readAsParseFloatDoes(texts);
    }

    @Test
    void digitRunsOfEveryLengthAgreeWithParseFloat() {
        // the reader takes up to eight digits per step: runs that end at every byte of a step, that cross steps,
        // that pass the 18 digits a long holds, fraction zeros before and after the first significant digit
        SplittableRandom random = new SplittableRandom(SEED + 2);
        java.util.List<String> texts = new java.util.ArrayList<>();
        for (int intDigits = 0; intDigits <= 24; intDigits++) {
            for (int zeros = 0; zeros <= 20; zeros += random.nextInt(1, 4)) {
                for (int fractionDigits = 0; fractionDigits <= 24; fractionDigits++) {
                    StringBuilder t = new StringBuilder(random.nextBoolean() ? "-" : "");
                    t.append(intDigits == 0 ? "0" : randomDigits(random, intDigits, true));
                    if (zeros + fractionDigits > 0) {
                        t.append('.').append("0".repeat(zeros)).append(randomDigits(random, fractionDigits, false));
                    }
                    if (random.nextInt(4) == 0) {
                        t.append('e').append(random.nextInt(-30, 11)); // within the float range at 24 integer digits
                    }
                    texts.add(t.toString());
                }
            }
        }
        readAsParseFloatDoes(texts.toArray(String[]::new));
        // separated by whitespace of every kind rather than commas alone
        float[] spaced = read("[ 0.5 ,\n\t12345678.87654321\r, 1 ]");
        assertThat(spaced).containsExactly(0.5f, 12345678.87654321f, 1f);
    }

    @Test
    void aBodyThatIsASliceEndsWhereTheSliceEnds() {
        // the reader takes eight bytes at a time, and a body can be a slice of a larger array: the bytes after
        // it (here more digits) belong to something else
        byte[] array = "[0.1234]567890123".getBytes(StandardCharsets.US_ASCII);
        DenseJson whole = new DenseJson(new ByteSlice(array, 0, 8), 4);
        assertThat(whole.rows()).isEqualTo(1);
        assertThat(whole.packed().order(ByteOrder.LITTLE_ENDIAN).getFloat(0)).isEqualTo(0.1234f);
        // cut inside the number: the number ends at the cut and the array is unfinished, so the reader gives up
        DenseJson cut = new DenseJson(new ByteSlice(array, 0, 5), 4);
        assertThat(cut.rows()).isEqualTo(-1);
    }

    private static String randomDigits(SplittableRandom random, int n, boolean nonZeroFirst) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append((char) ('0' + (i == 0 && nonZeroFirst ? random.nextInt(1, 10) : random.nextInt(10))));
        }
        return b.toString();
    }

    /** Reads the numbers as one JSON array and asserts each float is {@link Float#parseFloat}'s, bit for bit. */
    private static void readAsParseFloatDoes(String... texts) {
        float[] read = read("[" + String.join(",", texts) + "]");
        assertThat(read).hasSize(texts.length);
        for (int i = 0; i < texts.length; i++) {
            assertThat(Float.floatToRawIntBits(read[i]))
                    .as("%s", texts[i])
                    .isEqualTo(Float.floatToRawIntBits(Float.parseFloat(texts[i])));
        }
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }
}
