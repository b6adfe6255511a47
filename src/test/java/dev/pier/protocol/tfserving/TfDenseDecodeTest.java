package dev.pier.protocol.tfserving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.pier.api.DataType;
import dev.pier.api.ModelSignature;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import dev.pier.protocol.codec.ByteSlice;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/**
 * The dense path (numbers read straight from the bytes) against the general token reader: wherever the dense
 * path answers, both give the same tensor bit for bit, and every number equals {@link Float#parseFloat}; wherever
 * the general reader refuses a body, the dense path does not answer (so the error stays the general reader's).
 */
class TfDenseDecodeTest {
    private static final ModelSignature ROWS = signature(Shape.of(-1, 3));
    private static final ModelSignature ANY = signature(Shape.of(-1, -1, -1));
    private static final ModelSignature SCALARS = signature(Shape.of(-1));

    private static ModelSignature signature(Shape shape) {
        return new ModelSignature(
                List.of(new TensorSpec("x", DataType.FP32, shape)),
                List.of(new TensorSpec("y", DataType.FP32, Shape.of(-1, 3))));
    }

    private static ByteSlice bytes(String json) {
        return ByteSlice.of(json.getBytes(StandardCharsets.UTF_8));
    }

    private static TfPredictDecoder.Decoded dense(String json, ModelSignature sig) {
        return TfPredictDecoder.dense(bytes(json), sig, "m", OptionalLong.empty());
    }

    /** Asserts the dense path answers and agrees with the general reader; returns its tensor. */
    private static Tensor agreed(String json, ModelSignature sig) {
        TfPredictDecoder.Decoded fast = dense(json, sig);
        assertThat(fast).as("dense path takes %s", json).isNotNull();
        TfPredictDecoder.Decoded slow = TfPredictDecoder.general(bytes(json), sig, "m", OptionalLong.empty());
        Tensor a = fast.request().inputs().get(0);
        Tensor b = slow.request().inputs().get(0);
        assertThat(fast.rowFormat()).isEqualTo(slow.rowFormat());
        assertThat(fast.request().inputs()).hasSize(1);
        assertThat(a.name()).isEqualTo(b.name());
        assertThat(a.datatype()).isEqualTo(b.datatype());
        assertThat(a.shape()).isEqualTo(b.shape());
        assertThat(a.packed().toByteArray()).isEqualTo(b.packed().toByteArray());
        return a;
    }

    /** Asserts the general reader refuses the body and the dense path leaves it to it. */
    private static void leftToGeneral(String json, ModelSignature sig) {
        Throwable refused = catchThrowable(() -> TfPredictDecoder.general(bytes(json), sig, "m", OptionalLong.empty()));
        assertThat(refused).as("general reader refuses %s", json).isNotNull();
        assertThat(dense(json, sig)).as("dense path leaves %s alone", json).isNull();
    }

    private static float[] floats(Tensor t) {
        ByteBuffer b = t.packed().view().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    @Test
    void hostileNumbersParseExactlyAsFloatParseFloat() {
        String[] values = {
            "0",
            "-0",
            "-0.0",
            "1e-45",
            "1.4e-45",
            "7e-46",
            "1.1754942e-38",
            "1.17549435E-38",
            "3.4028235e38",
            "3.40282356779733661637539395458142568447e38",
            "1E0",
            "1e+0",
            "1e-0",
            "0.1000000000000000055511151231257827021181583404541015625",
            "16777217",
            "16777216.99999999999999",
            "123456789012345678901234567890",
            "2.7182818284590452353602874713527",
            "1.00000005960464477539062",
            "1.000000059604644775390625",
            "1.0000000596046447753906251",
            "-1.5e-44",
            "9.999999e-39",
            "4.9e-324"
        };
        for (String v : values) {
            Tensor t = agreed("{\"instances\": [" + v + "]}", SCALARS);
            assertThat(Float.floatToRawIntBits(floats(t)[0]))
                    .as(v)
                    .isEqualTo(Float.floatToRawIntBits(Float.parseFloat(v)));
        }
    }

    @Test
    void numbersBeyondFloatOrOutsideJsonGrammarAreLeftToTheGeneralReader() {
        for (String v : new String[] {
            "1e39",
            "-1e39",
            "3.4028236e39",
            "1e",
            "1e+",
            "1e-",
            ".5",
            "5.",
            "01",
            "-",
            "+1",
            "0x10",
            "NaN",
            "Infinity",
            "-Infinity",
            "1.5f",
            "1_000",
            "--1",
            "1e5.5",
            "\"1.5\"",
            "true",
            "null",
            "[]",
            "{}"
        }) {
            String body = "{\"instances\": [[1, " + v + ", 3]]}";
            TfPredictDecoder.Decoded fast = dense(body, ROWS);
            assertThat(fast).as("dense path on %s", v).isNull();
        }
        // the ones the general reader refuses keep its error
        for (String v : new String[] {
            "1e39", "3.4028236e38", "1e", ".5", "01", "+1", "0x10", "\"1.5\"", "true", "null", "[]", "{}"
        }) {
            leftToGeneral("{\"instances\": [[1, " + v + ", 3]]}", ROWS);
        }
    }

    @Test
    void shapesWhitespaceAndSignatureNameAgree() {
        assertThat(agreed("{\"instances\":[[1,2,3],[4,5,6]]}", ROWS).shape()).isEqualTo(Shape.of(2, 3));
        assertThat(agreed(
                                " {\n \"signature_name\" : \"serving_default\",\t\"instances\" : [ [ 1 , 2 , 3 ] ] }\r\n",
                                ROWS)
                        .shape())
                .isEqualTo(Shape.of(1, 3));
        assertThat(agreed("{\"instances\": [[[1, 2], [3, 4]], [[5, 6], [7, 8]]], \"signature_name\": \"\"}", ANY)
                        .shape())
                .isEqualTo(Shape.of(2, 2, 2));
        assertThat(agreed("{\"predictions\": [[0.25, -1e-3, 7]]}", ROWS).shape())
                .isEqualTo(Shape.of(1, 3));
        assertThat(agreed("{\"instances\": [1.5, 2.5]}", SCALARS).shape()).isEqualTo(Shape.of(2));
    }

    @Test
    void everyOtherBodyIsLeftToTheGeneralReader() {
        for (String body : new String[] {
            "{\"instances\": []}",
            "{\"instances\": [[1, 2, 3], [4, 5]]}",
            "{\"instances\": [[1, 2, 3], 4]}",
            // an array inside a row of numbers, and rows whose numbers lie at different depths
            "{\"instances\": [[1, [2], 3]]}",
            "{\"instances\": [[1, 2, 3], [[4], [5], [6]]]}",
            "{\"instances\": [[[1], [2], [3]], [4, 5, 6]]}",
            "{\"instances\": [[1, 2, ]]}",
            "{\"instances\": [[1, 2, \"3\"]]}",
            "{\"instances\": [[1, 2, 3]], \"inputs\": [[1, 2, 3]]}",
            "{\"instances\": [[1, 2, 3]], \"predictions\": [[1, 2, 3]]}",
            "{\"signature_name\": \"other\", \"instances\": [[1, 2, 3]]}",
            "{\"instances\": [[1, 2, 3]],}",
            "{\"instances\": [[1, 2, 3]]",
            "{}",
            "[]",
            ""
        }) {
            leftToGeneral(body, ROWS);
        }
        // bodies the general reader accepts but the dense path does not take: still the same answer overall
        for (String body : new String[] {
            "{\"inputs\": [[1, 2, 3]]}",
            "{\"instances\": [[1, 2, 3]]} trailing",
            "{\"instances\": [{\"x\": [1, 2, 3]}]}",
            "{\"extra\": 1, \"instances\": [[1, 2, 3]]}",
            "{\"instances\": [[1, 2, 3]], \"signature_name\": \"serving_\\u0064efault\"}"
        }) {
            assertThat(dense(body, ROWS)).as(body).isNull();
            assertThat(TfPredictDecoder.decode(bytes(body), ROWS, "m", OptionalLong.empty())
                            .request()
                            .inputs())
                    .hasSize(1);
        }
        // another datatype or several inputs: never the dense path
        ModelSignature ints = new ModelSignature(
                List.of(new TensorSpec("x", DataType.INT64, Shape.of(-1, 3))),
                List.of(new TensorSpec("y", DataType.FP32, Shape.of(-1, 3))));
        assertThat(dense("{\"instances\": [[1, 2, 3]]}", ints)).isNull();
    }

    @Test
    void randomRowsInEveryNumberSpellingAgreeWithFloatParseFloat() {
        Random random = new Random(13);
        for (int body = 0; body < 300; body++) {
            int rows = 1 + random.nextInt(4);
            int cols = 1 + random.nextInt(40);
            List<String> spelled = new ArrayList<>();
            StringJoiner json = new StringJoiner(",", "{\"instances\":[", "]}");
            for (int r = 0; r < rows; r++) {
                StringJoiner row = new StringJoiner(", ", "[", "]");
                for (int c = 0; c < cols; c++) {
                    String v = spelling(random);
                    spelled.add(v);
                    row.add(v);
                }
                json.add(row.toString());
            }
            float[] got = floats(agreed(json.toString(), ANY));
            for (int i = 0; i < got.length; i++) {
                assertThat(Float.floatToRawIntBits(got[i]))
                        .as(spelled.get(i))
                        .isEqualTo(Float.floatToRawIntBits(Float.parseFloat(spelled.get(i))));
            }
        }
    }

    private static String spelling(Random random) {
        double d = switch (random.nextInt(4)) {
            case 0 -> random.nextGaussian();
            case 1 -> random.nextDouble() * Math.pow(10, random.nextInt(60) - 45);
            case 2 -> Float.intBitsToFloat(random.nextInt() & 0x7F7F_FFFF);
            default -> random.nextInt(1 << 25) - (1 << 24);
        };
        if (random.nextBoolean()) {
            d = -d;
        }
        return switch (random.nextInt(5)) {
            case 0 -> Float.toString((float) d).replace("Infinity", "1");
            case 1 -> Double.toString(d).replace("Infinity", "1");
            case 2 -> String.format("%.9e", d);
            case 3 -> new BigDecimal(d).toPlainString().replaceFirst("^(-?)0+(\\d)", "$1$2");
            default -> Long.toString((long) d);
        };
    }
}
