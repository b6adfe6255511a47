package dev.pier.protocol.kserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.pier.api.InferRequest;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.protocol.codec.ByteSlice;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.Random;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/**
 * The dense V2 path against the token reader: wherever it answers, the request is the same bit for bit; wherever
 * the token reader refuses a body, the dense path leaves it alone (so the error stays the token reader's).
 */
class V2DenseDecodeTest {
    private static ByteSlice bytes(String json) {
        return ByteSlice.of(json.getBytes(StandardCharsets.UTF_8));
    }

    private static InferRequest agreed(String json) {
        InferRequest fast = V2DenseDecoder.decode(bytes(json), "m", OptionalLong.of(2));
        assertThat(fast).as("dense path takes %s", json).isNotNull();
        InferRequest slow = V2Codec.decodeGeneral(bytes(json), -1, "m", OptionalLong.of(2));
        assertThat(fast.id()).isEqualTo(slow.id());
        assertThat(fast.model()).isEqualTo(slow.model());
        assertThat(fast.version()).isEqualTo(slow.version());
        assertThat(fast.outputs()).isEqualTo(slow.outputs());
        assertThat(fast.parameters()).isEqualTo(slow.parameters());
        assertThat(fast.inputs()).hasSameSizeAs(slow.inputs()).hasSize(1);
        Tensor a = fast.inputs().get(0);
        Tensor b = slow.inputs().get(0);
        assertThat(a.name()).isEqualTo(b.name());
        assertThat(a.datatype()).isEqualTo(b.datatype());
        assertThat(a.shape()).isEqualTo(b.shape());
        assertThat(a.packed().toByteArray()).isEqualTo(b.packed().toByteArray());
        return fast;
    }

    @Test
    void theCommonBodiesAreReadStraightFromTheBytesAndAgree() {
        assertThat(agreed(
                                "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2.5,-3e-2]}]}")
                        .inputs()
                        .get(0)
                        .shape())
                .isEqualTo(Shape.of(1, 3));
        // any field order, nested data, whitespace, an id
        assertThat(agreed(" {\"id\": \"r-1\", \"inputs\": [ {\"data\": [[1, 2], [3, 4]], \"datatype\": \"FP32\","
                                + " \"shape\": [2, 2], \"name\": \"in\"} ] }\n")
                        .id())
                .isEqualTo("r-1");
        agreed("{\"inputs\":[{\"name\":\"x\",\"shape\":[],\"datatype\":\"FP32\",\"data\":[7]}]}");
        agreed("{\"inputs\":[{\"name\":\"x\",\"shape\":[2,1,3],\"datatype\":\"FP32\",\"data\":[1,2,3,4,5,6]}]}");
    }

    @Test
    void bodiesTheTokenReaderRefusesAreLeftToIt() {
        for (String body : new String[] {
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2]}]}",
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,1e39]}]}",
            "{\"inputs\":[{\"name\":\"\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}",
            "{\"inputs\":[{\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}",
            "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"data\":[1]}]}",
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"data\":[1]}]}",
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP33\",\"data\":[1]}]}",
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[-1],\"datatype\":\"FP32\",\"data\":[1]}]}",
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1.5],\"datatype\":\"FP32\",\"data\":[1]}]}",
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[.5]}]}",
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\"}]}",
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]},"
                    + "{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}",
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]",
            "{}",
            "[]",
            ""
        }) {
            Throwable refused = catchThrowable(() -> V2Codec.decodeGeneral(bytes(body), -1, "m", OptionalLong.empty()));
            assertThat(refused).as("token reader refuses %s", body).isNotNull();
            assertThat(V2DenseDecoder.decode(bytes(body), "m", OptionalLong.empty()))
                    .as("dense path leaves %s alone", body)
                    .isNull();
        }
    }

    @Test
    void otherValidBodiesAreLeftToTheTokenReader() {
        // no inputs at all: the serving core's validation names what is missing
        assertThat(V2DenseDecoder.decode(bytes("{\"inputs\":[]}"), "m", OptionalLong.empty()))
                .isNull();
        for (String body : new String[] {
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"INT64\",\"data\":[1]}]}",
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1],\"parameters\":{}}]}",
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}],\"outputs\":[{\"name\":\"y\"}]}",
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}],\"parameters\":{\"a\":1}}",
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[[1],2]}]}",
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[\"NaN\"]}]}"
        }) {
            assertThat(V2DenseDecoder.decode(bytes(body), "m", OptionalLong.empty()))
                    .as(body)
                    .isNull();
            assertThat(V2Codec.decodeRequest(bytes(body), -1, "m", OptionalLong.empty())
                            .inputs())
                    .hasSize(1);
        }
    }

    @Test
    void randomRowsAgree() {
        Random random = new Random(29);
        for (int n = 0; n < 200; n++) {
            int count = 1 + random.nextInt(900);
            StringJoiner data = new StringJoiner(",", "[", "]");
            for (int i = 0; i < count; i++) {
                float f = Float.intBitsToFloat(random.nextInt() & 0x7F7F_FFFF) * (random.nextBoolean() ? 1 : -1);
                data.add(random.nextBoolean() ? Float.toString(f) : Double.toString(random.nextGaussian()));
            }
            agreed("{\"inputs\":[{\"name\":\"x\",\"shape\":[1," + count + "],\"datatype\":\"FP32\",\"data\":" + data
                    + "}]}");
        }
    }
}
