package dev.pier.protocol.kserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.DataType;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class V2CodecTest {

    private static InferRequest decode(String json) {
        return V2Codec.decodeRequest(json.getBytes(StandardCharsets.UTF_8), -1, "m", OptionalLong.empty());
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void decodesFlatAndNestedDataToTheSameRowMajorFloats() {
        InferRequest flat = decode("""
                {"id":"r1","inputs":[{"name":"x","shape":[2,3],"datatype":"FP32","data":[1,2.5,3,4,5,-6.25]}]}""");
        InferRequest nested = decode("""
                {"inputs":[{"name":"x","shape":[2,3],"datatype":"FP32","data":[[1,2.5,3],[4,5,-6.25]]}]}""");
        float[] expected = {1f, 2.5f, 3f, 4f, 5f, -6.25f};
        assertThat(flat.id()).isEqualTo("r1");
        assertThat(flat.inputs().get(0).floats()).containsExactly(expected);
        assertThat(nested.inputs().get(0).floats()).containsExactly(expected);
        assertThat(nested.inputs().get(0).shape()).isEqualTo(Shape.of(2, 3));
    }

    static Stream<Arguments> everyDatatype() {
        return Stream.of(
                Arguments.of(
                        "BOOL",
                        "[true,false,true]",
                        le(3).put((byte) 1).put((byte) 0).put((byte) 1)),
                Arguments.of(
                        "INT8",
                        "[-128,0,127]",
                        le(3).put((byte) -128).put((byte) 0).put((byte) 127)),
                Arguments.of(
                        "UINT8",
                        "[0,200,255]",
                        le(3).put((byte) 0).put((byte) 200).put((byte) 255)),
                Arguments.of(
                        "INT16",
                        "[-32768,1,32767]",
                        le(6).putShort((short) -32768).putShort((short) 1).putShort((short) 32767)),
                Arguments.of(
                        "UINT16",
                        "[0,1,65535]",
                        le(6).putShort((short) 0).putShort((short) 1).putShort((short) -1)),
                Arguments.of(
                        "INT32",
                        "[-2147483648,7,2147483647]",
                        le(12).putInt(Integer.MIN_VALUE).putInt(7).putInt(Integer.MAX_VALUE)),
                Arguments.of(
                        "UINT32", "[0,7,4294967295]", le(12).putInt(0).putInt(7).putInt(-1)),
                Arguments.of(
                        "INT64",
                        "[-9223372036854775808,7,9223372036854775807]",
                        le(24).putLong(Long.MIN_VALUE).putLong(7).putLong(Long.MAX_VALUE)),
                Arguments.of(
                        "UINT64",
                        "[0,7,18446744073709551615]",
                        le(24).putLong(0).putLong(7).putLong(-1)),
                // IEEE half: 1.0 = 0x3C00, -2.0 = 0xC000, 0.5 = 0x3800; bfloat16: 0x3F80, 0xC000, 0x3F00
                Arguments.of(
                        "FP16",
                        "[1.0,-2,0.5]",
                        le(6).putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x3800)),
                Arguments.of(
                        "BF16",
                        "[1.0,-2,0.5]",
                        le(6).putShort((short) 0x3F80).putShort((short) 0xC000).putShort((short) 0x3F00)),
                Arguments.of(
                        "FP32",
                        "[1.5,-2,0.1]",
                        le(12).putFloat(1.5f).putFloat(-2f).putFloat(0.1f)),
                Arguments.of(
                        "FP64",
                        "[1.5,-2,0.1]",
                        le(24).putDouble(1.5).putDouble(-2).putDouble(0.1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyDatatype")
    void decodesEveryFixedWidthDatatypeFromJsonIntoLittleEndianBytes(String type, String data, ByteBuffer expected) {
        InferRequest r = decode(
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[3],\"datatype\":\"" + type + "\",\"data\":" + data + "}]}");
        Tensor t = r.inputs().get(0);
        assertThat(t.datatype()).isEqualTo(DataType.valueOf(type));
        assertThat(HexFormat.of().formatHex(t.packed().toByteArray()))
                .isEqualTo(HexFormat.of().formatHex(expected.array()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyDatatype")
    void encodesEveryDatatypeBackToTheSameJsonValues(String type, String data, ByteBuffer bytes) {
        Tensor t = Tensor.ofPacked("y", DataType.valueOf(type), Shape.of(3), bytes.array());
        byte[] body = V2Codec.encodeResponse(
                        new InferResponse("i", "m", 1, List.of(t), Map.of()),
                        new InferRequest("i", "m", OptionalLong.empty(), List.of(), List.of(), Map.of()))
                .body();
        InferResponse back = V2Codec.decodeResponse(body, -1);
        Tensor decoded = back.outputs().get(0);
        assertThat(decoded.packed().toByteArray()).containsExactly(bytes.array());
        assertThat(new String(body, StandardCharsets.UTF_8)).contains("\"datatype\":\"" + type + "\"");
    }

    @Test
    void decodesBytesAsUtf8StringsAndFieldsInAnyOrder() {
        InferRequest r = decode("""
                {"inputs":[{"data":["héllo",""],"shape":[2],"name":"s","datatype":"BYTES"}],
                 "outputs":[{"name":"t","parameters":{"binary_data":false}}],"parameters":{"priority":2,"flag":true}}""");
        assertThat(r.inputs().get(0).strings()).containsExactly("héllo", "");
        assertThat(r.outputs()).extracting(InferRequest.RequestedOutput::name).containsExactly("t");
        assertThat(r.outputs().get(0).parameters()).containsEntry("binary_data", false);
        assertThat(r.parameters()).containsEntry("priority", 2L).containsEntry("flag", true);
    }

    @Test
    void acceptsNanAndInfinityInJsonNumbers() {
        float[] f = decode("""
                {"inputs":[{"name":"x","shape":[4],"datatype":"FP32","data":[NaN,Infinity,-Infinity,"NaN"]}]}""").inputs().get(0).floats();
        assertThat(Float.isNaN(f[0])).isTrue();
        assertThat(f[1]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(f[2]).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(Float.isNaN(f[3])).isTrue();
    }

    @Test
    void readsBinaryInputsIncludingLengthPrefixedBytesAfterTheJsonHeader() {
        String json = """
                {"inputs":[{"name":"x","shape":[2],"datatype":"FP32","parameters":{"binary_data_size":8}},
                {"name":"s","shape":[2],"datatype":"BYTES","parameters":{"binary_data_size":11}},
                {"name":"k","shape":[1],"datatype":"INT64","data":[5]}]}""";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(header);
        body.writeBytes(le(8).putFloat(0.25f).putFloat(-1f).array());
        body.writeBytes(le(11).putInt(2)
                .put("ab".getBytes(StandardCharsets.UTF_8))
                .putInt(1)
                .put((byte) 'c')
                .array());
        InferRequest r = V2Codec.decodeRequest(body.toByteArray(), header.length, "m", OptionalLong.of(2));
        assertThat(r.inputs().get(0).floats()).containsExactly(0.25f, -1f);
        assertThat(r.inputs().get(1).strings()).containsExactly("ab", "c");
        assertThat(r.inputs().get(2).longs()).containsExactly(5L);
        assertThat(r.version()).hasValue(2);
    }

    @Test
    void writesBinaryOutputsWhenAskedPerOutputOrForAll() {
        Tensor y = Tensor.ofFloats("y", Shape.of(2), 1f, 2f);
        Tensor t = Tensor.ofStrings("t", Shape.of(1), "hi");
        InferResponse response = new InferResponse("7", "m", 4, List.of(y, t), Map.of());
        InferRequest perOutput = new InferRequest(
                "7",
                "m",
                OptionalLong.empty(),
                List.of(),
                List.of(
                        new InferRequest.RequestedOutput("y", Map.of("binary_data", true)),
                        new InferRequest.RequestedOutput("t", Map.of())),
                Map.of());
        V2Codec.Encoded e = V2Codec.encodeResponse(response, perOutput);
        assertThat(e.binary()).isTrue();
        String json = new String(e.body(), 0, e.jsonLength(), StandardCharsets.UTF_8);
        assertThat(json)
                .isEqualTo("{\"model_name\":\"m\",\"model_version\":\"4\",\"id\":\"7\",\"outputs\":["
                        + "{\"name\":\"y\",\"datatype\":\"FP32\",\"shape\":[2],\"parameters\":{\"binary_data_size\":8}},"
                        + "{\"name\":\"t\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\"hi\"]}]}");
        byte[] tail = java.util.Arrays.copyOfRange(e.body(), e.jsonLength(), e.body().length);
        assertThat(tail).containsExactly(le(8).putFloat(1f).putFloat(2f).array());

        InferRequest all = new InferRequest(
                "7", "m", OptionalLong.empty(), List.of(), List.of(), Map.of("binary_data_output", true));
        V2Codec.Encoded e2 = V2Codec.encodeResponse(response, all);
        byte[] tail2 = java.util.Arrays.copyOfRange(e2.body(), e2.jsonLength(), e2.body().length);
        byte[] expected = ByteBuffer.allocate(14)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(1f)
                .putFloat(2f)
                .putInt(2)
                .put((byte) 'h')
                .put((byte) 'i')
                .array();
        assertThat(tail2).containsExactly(expected);
        InferResponse back = V2Codec.decodeResponse(e2.body(), e2.jsonLength());
        assertThat(back.outputs().get(1).strings()).containsExactly("hi");
        assertThat(back.id()).isEqualTo("7");
        assertThat(back.version()).isEqualTo(4);
    }

    @Test
    void refusesNonFiniteFloatsWhichJsonHasNoNumbersFor() {
        // bare NaN/Infinity are not JSON: strict V2 clients (Go, Rust, JavaScript) fail on the whole body
        Tensor y = Tensor.ofFloats("y", Shape.of(3), 1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
        assertThatThrownBy(() -> V2Codec.encodeResponse(
                        new InferResponse(null, "m", 1, List.of(y), Map.of()),
                        new InferRequest(null, "m", OptionalLong.empty(), List.of(), List.of(), Map.of())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'y'")
                .hasMessageContaining("Infinity at element 1")
                .hasMessageContaining("binary");
    }

    @Test
    void rejectsBadRequestsWithMessagesNamingTheField() {
        assertThatThrownBy(() -> decode(
                        "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'x'")
                .hasMessageContaining("[2, 2]")
                .hasMessageContaining("4 elements")
                .hasMessageContaining("3");
        assertThatThrownBy(() ->
                        decode("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FLOAT\",\"data\":[1]}]}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'x'")
                .hasMessageContaining("FLOAT")
                .hasMessageContaining("FP32");
        assertThatThrownBy(() ->
                        decode("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"INT32\",\"data\":[\"a\"]}]}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'x'")
                .hasMessageContaining("integer")
                .hasMessageContaining("\"a\"");
        assertThatThrownBy(() ->
                        decode("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"UINT8\",\"data\":[256]}]}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("256")
                .hasMessageContaining("255");
        assertThatThrownBy(() -> decode("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"data\":[1]}]}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'x'")
                .hasMessageContaining("'shape'");
        assertThatThrownBy(() -> decode("{\"inputs\":[{\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'name'");
        assertThatThrownBy(() -> decode("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\"}]}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'data'");
        assertThatThrownBy(() -> decode("{\"id\":\"1\"}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'inputs'");
        assertThatThrownBy(() -> decode("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("malformed JSON");
        assertThatThrownBy(() ->
                        decode("{\"inputs\":[{\"name\":\"x\",\"shape\":[-1],\"datatype\":\"FP32\",\"data\":[]}]}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("non-negative");
        assertThatThrownBy(() -> V2Codec.decodeRequest(
                        "{\"inputs\":[]}".getBytes(StandardCharsets.UTF_8), 99, "m", OptionalLong.empty()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(V2Codec.HEADER_LENGTH)
                .hasMessageContaining("99");
    }

    @Test
    void rejectsDataTogetherWithBinarySizeAndAbsurdNesting() {
        String both = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1],"
                + "\"parameters\":{\"binary_data_size\":4}}]}";
        assertThatThrownBy(() -> decode(both))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'x'")
                .hasMessageContaining("binary_data_size");
        String deep = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":" + "[".repeat(1000)
                + "1" + "]".repeat(1000) + "}]}";
        assertThatThrownBy(() -> decode(deep))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("malformed JSON")
                .hasMessageContaining("nesting");
    }

    @Test
    void rejectsBinarySizesThatDoNotMatchTheBody() {
        String json =
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":8}}]}";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        byte[] shortBody = java.util.Arrays.copyOf(header, header.length + 4);
        assertThatThrownBy(() -> V2Codec.decodeRequest(shortBody, header.length, "m", OptionalLong.empty()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'x'")
                .hasMessageContaining("8")
                .hasMessageContaining("4 bytes");
        byte[] longBody = java.util.Arrays.copyOf(header, header.length + 12);
        assertThatThrownBy(() -> V2Codec.decodeRequest(longBody, header.length, "m", OptionalLong.empty()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("4 bytes");
    }

    @Test
    void binaryOutputsFollowTheJsonHeaderByteExactInOneBodyOfExactlyTheirSize() {
        Tensor f = Tensor.ofFloats("f", Shape.of(1, 2), Float.MIN_VALUE, -0f);
        Tensor l = Tensor.ofLongs("l", Shape.of(2), Long.MIN_VALUE, 3);
        Tensor s = Tensor.ofStrings("s", Shape.of(2), "", "xy");
        InferResponse response = new InferResponse(null, "m", 1, List.of(f, l, s), Map.of());
        InferRequest all = new InferRequest(
                null, "m", OptionalLong.empty(), List.of(), List.of(), Map.of("binary_data_output", true));
        V2Codec.Encoded e = V2Codec.encodeResponse(response, all);
        String json = new String(e.body(), 0, e.jsonLength(), StandardCharsets.UTF_8);
        assertThat(json)
                .endsWith("{\"name\":\"s\",\"datatype\":\"BYTES\",\"shape\":[2],"
                        + "\"parameters\":{\"binary_data_size\":10}}]}");
        byte[] expected = le(8 + 16 + 10)
                .putFloat(Float.MIN_VALUE)
                .putFloat(-0f)
                .putLong(Long.MIN_VALUE)
                .putLong(3)
                .putInt(0)
                .putInt(2)
                .put((byte) 'x')
                .put((byte) 'y')
                .array();
        assertThat(e.body()).hasSize(e.jsonLength() + expected.length);
        assertThat(java.util.Arrays.copyOfRange(e.body(), e.jsonLength(), e.body().length))
                .containsExactly(expected);
        InferResponse back = V2Codec.decodeResponse(e.body(), e.jsonLength());
        assertThat(back.outputs().get(1).longs()).containsExactly(Long.MIN_VALUE, 3L);
    }

    @Test
    void refusesAnInputNamedTwiceAmongFewOrManyInputs() {
        for (int n : new int[] {2, 12}) {
            StringBuilder json = new StringBuilder("{\"inputs\":[");
            for (int i = 0; i < n; i++) {
                String name = i == n - 1 ? "t0" : "t" + i; // the last repeats the first
                json.append(i == 0 ? "" : ",")
                        .append("{\"name\":\"")
                        .append(name)
                        .append("\",\"shape\":[1],\"datatype\":\"INT32\",\"data\":[1]}");
            }
            assertThatThrownBy(() -> decode(json + "]}"))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("input 't0' appears more than once");
        }
        assertThat(decode("{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"INT32\",\"data\":[1]},"
                                + "{\"name\":\"b\",\"shape\":[1],\"datatype\":\"INT32\",\"data\":[2]}]}")
                        .inputs())
                .hasSize(2);
    }
}
