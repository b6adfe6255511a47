package dev.pier.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.DataType;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelSignature;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import dev.pier.protocol.kserve.V2Codec;
import dev.pier.protocol.tfserving.TfPredictDecoder;
import dev.pier.protocol.tfserving.TfServingJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exact number parsing and writing for the JSON tensor codecs: every literal rounds once, as
 * {@link Float#parseFloat} / {@link Double#parseDouble} round it, and every written element parses back to
 * the same bits. Both protocols are driven through their public decoders and encoders.
 */
class FloatCodecTest {
    private static final ModelSignature FP32 = signature(DataType.FP32);

    private static ModelSignature signature(DataType type) {
        return new ModelSignature(
                List.of(new TensorSpec("x", type, Shape.of(-1, -1))),
                List.of(new TensorSpec("y", type, Shape.of(-1, -1))));
    }

    private static Tensor tf(String values, DataType type) {
        String body = "{\"instances\": [[" + values + "]]}";
        return TfPredictDecoder.decode(
                        body.getBytes(StandardCharsets.UTF_8), signature(type), "m", OptionalLong.empty())
                .request()
                .inputs()
                .get(0);
    }

    private static Tensor v2(String values, int count, DataType type) {
        String body = "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"" + type.wireName() + "\", \"shape\": [" + count
                + "], \"data\": [" + values + "]}]}";
        return V2Codec.decodeRequest(body.getBytes(StandardCharsets.UTF_8), -1, "m", OptionalLong.empty())
                .inputs()
                .get(0);
    }

    static final String[] HOSTILE = {
        "0",
        "-0",
        "0.0",
        "-0.0",
        "1",
        "-1",
        "1e-45",
        "1.4e-45",
        "1.401298464324817e-45",
        "7e-46",
        "7.1e-46",
        "7.006492321624085e-46",
        "7.006492321624086e-46",
        "1e-46",
        "1.1754942e-38",
        "1.17549435e-38",
        "1.1754943508222875e-38",
        "3.4028235e38",
        "3.4028234663852886e38",
        "3.40282356779733661e38",
        "16777216",
        "16777217",
        "16777219",
        "9007199254740993",
        "123456789012345678901234567890",
        "0.1",
        "0.2",
        "0.3",
        "0.32941176470588235",
        "0.996078431372549",
        "1E10",
        "1e+10",
        "1e-10",
        "1.5E-7",
        "2.5",
        "-2.5",
        "1e0",
        "1e-0",
        "1e+0",
        "100e-2",
        "0.000000000000000000000000000000000000000001",
        "0.1000000000000000055511151231257827021181583404541015625",
        "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706",
        "1.00000005960464477539062500000000000000000000000000000000000000000000000001",
        "1.000000059604644775390625",
        "1.00000005960464477539062499999999999999999999999999999",
        "4.9e-324",
        "2.2250738585072014e-308",
        "1.7976931348623157e308",
        "1e-400",
    };

    @Test
    void fp32LiteralsRoundOnceAsFloatParseFloatDoes() {
        for (String literal : HOSTILE) {
            float expected = Float.parseFloat(literal);
            if (Float.isInfinite(expected)) {
                continue;
            }
            assertThat(Float.floatToRawIntBits(tf(literal, DataType.FP32).floats()[0]))
                    .as("TF Serving %s", literal)
                    .isEqualTo(Float.floatToRawIntBits(expected));
            assertThat(Float.floatToRawIntBits(v2(literal, 1, DataType.FP32).floats()[0]))
                    .as("V2 %s", literal)
                    .isEqualTo(Float.floatToRawIntBits(expected));
        }
    }

    @Test
    void fp64LiteralsRoundOnceAsDoubleParseDoubleDoes() {
        for (String literal : HOSTILE) {
            double expected = Double.parseDouble(literal);
            assertThat(Double.doubleToRawLongBits(v2(literal, 1, DataType.FP64).doubles()[0]))
                    .as("V2 %s", literal)
                    .isEqualTo(Double.doubleToRawLongBits(expected));
            assertThat(Double.doubleToRawLongBits(tf(literal, DataType.FP64).doubles()[0]))
                    .as("TF Serving %s", literal)
                    .isEqualTo(Double.doubleToRawLongBits(expected));
        }
    }

    @Test
    void randomLongMantissasRoundLikeTheJdk() {
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder(random.nextBoolean() ? "-" : "");
            s.append(1 + random.nextInt(9)).append('.');
            int digits = 1 + random.nextInt(60);
            for (int d = 0; d < digits; d++) {
                s.append(random.nextInt(10));
            }
            s.append('e').append(random.nextInt(-50, 39));
            String literal = s.toString();
            float expected = Float.parseFloat(literal);
            if (Float.isInfinite(expected)) {
                continue;
            }
            assertThat(Float.floatToRawIntBits(v2(literal, 1, DataType.FP32).floats()[0]))
                    .as(literal)
                    .isEqualTo(Float.floatToRawIntBits(expected));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e39", "-1e39", "3.4028236e38", "1e400", "123456789012345678901234567890123456789012"})
    void fp32LiteralsBeyondTheRangeAreRefusedNamingTheValue(String literal) {
        String shown = literal.length() <= 40 ? literal : literal.substring(0, 37) + "...";
        assertThatThrownBy(() -> tf(literal, DataType.FP32))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("value " + shown)
                .hasMessageContaining("out of range")
                .hasMessageContaining("3.4028235E38");
        assertThatThrownBy(() -> v2(literal, 1, DataType.FP32))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("value " + shown)
                .hasMessageContaining("out of range");
    }

    @Test
    void fp64LiteralsBeyondTheRangeAreRefused() {
        assertThatThrownBy(() -> v2("1.7976931348623159e308", 1, DataType.FP64))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("value 1.7976931348623159e308");
        assertThatThrownBy(() -> tf("-1e400", DataType.FP64))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("value -1e400");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1e", "1e+", "1E-", ".5", "5.", "01", "-01", "00.5", "-", "+1", "1.e5", "0x10", "1f", "1_000", "--1",
                "1e5.5"
            })
    void literalsThatAreNotJsonNumbersAreRefused(String literal) {
        assertThatThrownBy(() -> tf(literal, DataType.FP32)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> v2(literal, 1, DataType.FP32)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> v2(literal, 1, DataType.FP64)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void tfServingKeepsAcceptingTheNonFiniteTokens() {
        float[] f =
                tf("NaN, Infinity, -Infinity, \"NaN\", \"-inf\"", DataType.FP32).floats();
        assertThat(Float.isNaN(f[0])).isTrue();
        assertThat(f[1]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(f[2]).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(Float.isNaN(f[3])).isTrue();
        assertThat(f[4]).isEqualTo(Float.NEGATIVE_INFINITY);
    }

    @Test
    void dataBeforeTheDatatypeIsReplayedWithTheSameRules() {
        // V2 buffers "data" that comes before "datatype"; the replayed tokens carry numbers as text
        String body = "{\"inputs\": [{\"data\": [NaN, Infinity, -Infinity, 0.32941176470588235, 16777217],"
                + " \"name\": \"x\", \"shape\": [5], \"datatype\": \"FP32\"}]}";
        float[] f = V2Codec.decodeRequest(body.getBytes(StandardCharsets.UTF_8), -1, "m", OptionalLong.empty())
                .inputs()
                .get(0)
                .floats();
        assertThat(Float.isNaN(f[0])).isTrue();
        assertThat(f[1]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(f[2]).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(f[3]).isEqualTo(Float.parseFloat("0.32941176470588235"));
        assertThat(f[4]).isEqualTo(Float.parseFloat("16777217"));
        String tooLarge = "{\"inputs\": [{\"data\": [1e39], \"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\"}]}";
        assertThatThrownBy(() ->
                        V2Codec.decodeRequest(tooLarge.getBytes(StandardCharsets.UTF_8), -1, "m", OptionalLong.empty()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("value 1e39");
    }

    @Test
    void everyFloatBitPatternRoundTripsThroughBothProtocols() {
        SplittableRandom random = new SplittableRandom(42);
        int n = 50_000;
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            float f;
            do {
                f = Float.intBitsToFloat(random.nextInt());
            } while (!Float.isFinite(f));
            values[i] = f;
        }
        values[0] = Float.MIN_VALUE;
        values[1] = -0.0f;
        values[2] = Float.MAX_VALUE;
        values[3] = Float.MIN_NORMAL;
        values[4] = Math.nextDown(Float.MIN_NORMAL);
        Tensor y = Tensor.ofFloats("y", Shape.of(1, n), values);

        // V2: encode the response, decode it as a client does
        byte[] v2 = V2Codec.encodeResponse(
                        new InferResponse(null, "m", 1, List.of(y), Map.of()),
                        new InferRequest(null, "m", OptionalLong.empty(), List.of(), List.of(), Map.of()))
                .body();
        float[] back = V2Codec.decodeResponse(v2, -1).outputs().get(0).floats();
        assertBitsEqual(values, back);

        // TF Serving: the written predictions, sent back as instances
        String predictions = new String(
                TfServingJson.predict(new InferResponse(null, "m", 1, List.of(y), Map.of()), true),
                StandardCharsets.UTF_8);
        String instances = predictions.replace("\"predictions\"", "\"instances\"");
        float[] tfBack = TfPredictDecoder.decode(
                        instances.getBytes(StandardCharsets.UTF_8), FP32, "m", OptionalLong.empty())
                .request()
                .inputs()
                .get(0)
                .floats();
        assertBitsEqual(values, tfBack);
    }

    @Test
    void everyDoubleBitPatternRoundTrips() {
        SplittableRandom random = new SplittableRandom(7);
        int n = 20_000;
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            double d;
            do {
                d = Double.longBitsToDouble(random.nextLong());
            } while (!Double.isFinite(d));
            values[i] = d;
        }
        values[0] = Double.MIN_VALUE;
        values[1] = -0.0;
        values[2] = Double.MAX_VALUE;
        Tensor y = Tensor.ofDoubles("y", Shape.of(n), values);
        byte[] v2 = V2Codec.encodeResponse(
                        new InferResponse(null, "m", 1, List.of(y), Map.of()),
                        new InferRequest(null, "m", OptionalLong.empty(), List.of(), List.of(), Map.of()))
                .body();
        double[] back = V2Codec.decodeResponse(v2, -1).outputs().get(0).doubles();
        for (int i = 0; i < n; i++) {
            assertThat(Double.doubleToRawLongBits(back[i]))
                    .as("element %d (%s)", i, values[i])
                    .isEqualTo(Double.doubleToRawLongBits(values[i]));
        }
    }

    @Test
    void writtenFloatsAreTheShortestThatParseBack() {
        Tensor y = Tensor.ofFloats("y", Shape.of(1, 6), 0.1f, 1.0f, -0.0f, 1.0E-5f, 3.4028235E38f, 1.4E-45f);
        String body = new String(
                TfServingJson.predict(new InferResponse(null, "m", 1, List.of(y), Map.of()), true),
                StandardCharsets.UTF_8);
        assertThat(body).isEqualTo("{\"predictions\":[[0.1,1.0,-0.0,1.0E-5,3.4028235E38,1.4E-45]]}");
    }

    @Test
    void v2JsonNeverWritesBareNonFiniteNumbers() {
        Tensor y = Tensor.ofFloats("scores", Shape.of(3), 1f, Float.NaN, 2f);
        InferResponse response = new InferResponse(null, "m", 1, List.of(y), Map.of());
        InferRequest jsonRequest = new InferRequest(null, "m", OptionalLong.empty(), List.of(), List.of(), Map.of());
        assertThatThrownBy(() -> V2Codec.encodeResponse(response, jsonRequest))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'scores'")
                .hasMessageContaining("NaN at element 1")
                .hasMessageContaining("binary_data_output");
        Tensor inf = Tensor.ofDoubles("d", Shape.of(1), Double.NEGATIVE_INFINITY);
        assertThatThrownBy(() ->
                        V2Codec.encodeResponse(new InferResponse(null, "m", 1, List.of(inf), Map.of()), jsonRequest))
                .hasMessageContaining("-Infinity");

        // the binary tensor extension carries the exact bits
        InferRequest binaryRequest = new InferRequest(
                null, "m", OptionalLong.empty(), List.of(), List.of(), Map.of("binary_data_output", true));
        V2Codec.Encoded encoded = V2Codec.encodeResponse(response, binaryRequest);
        float[] back = V2Codec.decodeResponse(encoded.body(), encoded.jsonLength())
                .outputs()
                .get(0)
                .floats();
        assertThat(Float.isNaN(back[1])).isTrue();
    }

    @Test
    void tfServingKeepsWritingTheNonFiniteTokens() {
        Tensor y = Tensor.ofFloats("y", Shape.of(1, 3), Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
        String body = new String(
                TfServingJson.predict(new InferResponse(null, "m", 1, List.of(y), Map.of()), true),
                StandardCharsets.UTF_8);
        assertThat(body).isEqualTo("{\"predictions\":[[NaN,Infinity,-Infinity]]}");
    }

    @Test
    void fp16AndBf16RoundTheLiteralOnceEvenWhereTheFloatIsAMidpoint() {
        // 1 + 2^-11 is the midpoint between FP16 1.0 and 1 + 2^-10; these literals round to that float
        assertThat(fp16Bits("1.00048828125")).isEqualTo(0x3C00); // a true tie: to even
        assertThat(fp16Bits("1.00048828125000001")).isEqualTo(0x3C01); // just above the midpoint
        assertThat(fp16Bits("1.00048828124999999")).isEqualTo(0x3C00); // just below
        assertThat(fp16Bits("-1.00048828125000001")).isEqualTo(0xBC01);
        assertThat(fp16Bits("65504")).isEqualTo(0x7BFF);
        assertThat(fp16Bits("65519.99")).isEqualTo(0x7BFF);
        assertThat(fp16Bits("6e-8")).isEqualTo(0x0001);
        // 1 + 2^-8 is the midpoint between BF16 1.0 and 1 + 2^-7
        assertThat(bf16Bits("1.00390625")).isEqualTo(0x3F80);
        assertThat(bf16Bits("1.00390625000000001")).isEqualTo(0x3F81);
        // the float nearest 65519.9999999 is 65520, where FP16 overflows; the literal itself is just below it
        assertThat(fp16Bits("65519.9999999")).isEqualTo(0x7BFF);
        for (String tooLarge : List.of("65520", "65520.0000001", "1e5", "-1e39")) {
            assertThatThrownBy(() -> v2(tooLarge, 1, DataType.FP16))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("value " + tooLarge)
                    .hasMessageContaining("65504");
        }
        assertThatThrownBy(() -> v2("3.4e38", 1, DataType.BF16))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("out of range");
    }

    private static int fp16Bits(String literal) {
        return v2(literal, 1, DataType.FP16).packed().view().getShort(0) & 0xFFFF;
    }

    private static int bf16Bits(String literal) {
        return v2(literal, 1, DataType.BF16).packed().view().getShort(0) & 0xFFFF;
    }

    @Test
    void integerTypesKeepTheirRangeChecks() {
        assertThatThrownBy(() -> v2("128", 1, DataType.INT8)).hasMessageContaining("out of range [-128, 127]");
        assertThatThrownBy(() -> v2("4294967296", 1, DataType.UINT32)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> v2("9223372036854775808", 1, DataType.INT64)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> v2("1.5", 1, DataType.INT32)).hasMessageContaining("expected an integer");
        assertThat(v2("-9223372036854775808", 1, DataType.INT64).longs()).containsExactly(Long.MIN_VALUE);
    }

    private static void assertBitsEqual(float[] expected, float[] actual) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(expected[i])) {
                throw new AssertionError("element " + i + ": wrote " + expected[i] + " ("
                        + Integer.toHexString(Float.floatToRawIntBits(expected[i])) + "), read back " + actual[i]);
            }
        }
    }
}
