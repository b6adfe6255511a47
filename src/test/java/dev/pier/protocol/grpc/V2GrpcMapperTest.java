package dev.pier.protocol.grpc;

import static dev.pier.protocol.grpc.InferInputs.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.pier.api.DataType;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.protocol.grpc.v2.InferTensorContents;
import dev.pier.protocol.grpc.v2.ModelInferRequest;
import dev.pier.protocol.grpc.v2.ModelInferResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.WireFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Typed gRPC contents for every datatype that has a contents field, into the packed little-endian layout. */
class V2GrpcMapperTest {

    private static Tensor one(String type, InferTensorContents.Builder contents) {
        ModelInferRequest r = ModelInferRequest.newBuilder()
                .setModelName("m")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                        .setName("v")
                        .setDatatype(type)
                        .addShape(2)
                        .setContents(contents))
                .build();
        InferRequest decoded = V2GrpcMapper.toInferRequest(r);
        return decoded.inputs().get(0);
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void decodesEveryTypedContentsField() {
        assertThat(one(
                                "BOOL",
                                InferTensorContents.newBuilder()
                                        .addBoolContents(true)
                                        .addBoolContents(false))
                        .packed()
                        .toByteArray())
                .containsExactly(1, 0);
        assertThat(one(
                                "INT8",
                                InferTensorContents.newBuilder()
                                        .addIntContents(-5)
                                        .addIntContents(127))
                        .packed()
                        .toByteArray())
                .containsExactly(-5, 127);
        assertThat(one(
                                "INT16",
                                InferTensorContents.newBuilder()
                                        .addIntContents(-300)
                                        .addIntContents(2))
                        .packed()
                        .toByteArray())
                .containsExactly(
                        le(4).putShort((short) -300).putShort((short) 2).array());
        assertThat(one(
                                "INT32",
                                InferTensorContents.newBuilder()
                                        .addIntContents(-70000)
                                        .addIntContents(2))
                        .ints())
                .containsExactly(-70000, 2);
        assertThat(one(
                                "UINT8",
                                InferTensorContents.newBuilder()
                                        .addUintContents(255)
                                        .addUintContents(0))
                        .packed()
                        .toByteArray())
                .containsExactly((byte) 255, 0);
        assertThat(one(
                                "UINT16",
                                InferTensorContents.newBuilder()
                                        .addUintContents(65535)
                                        .addUintContents(1))
                        .packed()
                        .toByteArray())
                .containsExactly(le(4).putShort((short) -1).putShort((short) 1).array());
        assertThat(one(
                                "UINT32",
                                InferTensorContents.newBuilder()
                                        .addUintContents(-1)
                                        .addUintContents(1))
                        .packed()
                        .toByteArray())
                .containsExactly(le(8).putInt(-1).putInt(1).array());
        assertThat(one(
                                "INT64",
                                InferTensorContents.newBuilder()
                                        .addInt64Contents(Long.MIN_VALUE)
                                        .addInt64Contents(1))
                        .longs())
                .containsExactly(Long.MIN_VALUE, 1L);
        assertThat(one(
                                "UINT64",
                                InferTensorContents.newBuilder()
                                        .addUint64Contents(-1L)
                                        .addUint64Contents(1))
                        .packed()
                        .toByteArray())
                .containsExactly(le(16).putLong(-1L).putLong(1).array());
        assertThat(one(
                                "FP32",
                                InferTensorContents.newBuilder()
                                        .addFp32Contents(0.1f)
                                        .addFp32Contents(Float.NaN))
                        .floats()[0])
                .isEqualTo(0.1f);
        assertThat(one(
                                "FP64",
                                InferTensorContents.newBuilder()
                                        .addFp64Contents(0.1)
                                        .addFp64Contents(-2))
                        .doubles())
                .containsExactly(0.1, -2.0);
        assertThat(one(
                                "BYTES",
                                InferTensorContents.newBuilder()
                                        .addBytesContents(ByteString.copyFromUtf8("a"))
                                        .addBytesContents(ByteString.EMPTY))
                        .strings())
                .containsExactly("a", "");
        assertThat(one(
                                "INT8",
                                InferTensorContents.newBuilder()
                                        .addIntContents(1)
                                        .addIntContents(2))
                        .datatype())
                .isEqualTo(DataType.INT8);
    }

    @Test
    void rejectsOutOfRangeAndNegativeShapes() {
        assertThatThrownBy(() -> one(
                        "INT8",
                        InferTensorContents.newBuilder().addIntContents(200).addIntContents(0)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'v'")
                .hasMessageContaining("200");
        assertThatThrownBy(() -> V2GrpcMapper.toInferRequest(ModelInferRequest.newBuilder()
                        .setModelName("m")
                        .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                                .setName("v")
                                .setDatatype("FP32")
                                .addShape(-1))
                        .build()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'v'")
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> V2GrpcMapper.toInferRequest(
                        ModelInferRequest.newBuilder().build()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("model_name");
    }

    @Test
    void rawOutputContentsAreByteExactForFp32Int64AndBytes() throws Exception {
        InferResponse response = new InferResponse(
                "id-1",
                "m",
                4,
                List.of(
                        Tensor.ofFloats("f", Shape.of(1, 3), 0.1f, -0f, Float.MAX_VALUE),
                        Tensor.ofLongs("l", Shape.of(2), -1L, Long.MAX_VALUE),
                        Tensor.ofStrings("s", Shape.of(2), "ab", "")),
                Map.of());
        // through the wire form, as a client reads it
        ModelInferResponse proto =
                ModelInferResponse.parseFrom(V2GrpcMapper.toProto(response).toByteArray());
        assertThat(proto.getId()).isEqualTo("id-1");
        assertThat(proto.getModelVersion()).isEqualTo("4");
        assertThat(proto.getParametersCount()).isZero();
        assertThat(proto.getOutputs(0).getDatatype()).isEqualTo("FP32");
        assertThat(proto.getOutputs(0).getShapeList()).containsExactly(1L, 3L);
        assertThat(proto.getOutputs(1).getShapeList()).containsExactly(2L);
        assertThat(proto.getRawOutputContents(0).toByteArray())
                .containsExactly(le(12).putFloat(0.1f)
                        .putFloat(-0f)
                        .putFloat(Float.MAX_VALUE)
                        .array());
        assertThat(proto.getRawOutputContents(1).toByteArray())
                .containsExactly(le(16).putLong(-1L).putLong(Long.MAX_VALUE).array());
        assertThat(proto.getRawOutputContents(2).toByteArray())
                .containsExactly(le(10).putInt(2)
                        .put((byte) 'a')
                        .put((byte) 'b')
                        .putInt(0)
                        .array());
        // and back through the client's mapper
        InferResponse back = V2GrpcMapper.fromProto(proto);
        assertThat(back.outputs().get(0).floats()).containsExactly(0.1f, -0f, Float.MAX_VALUE);
        assertThat(back.outputs().get(1).longs()).containsExactly(-1L, Long.MAX_VALUE);
        assertThat(back.outputs().get(2).strings()).containsExactly("ab", "");
    }

    @Test
    void rawInputContentsShorterThanTheShapeNeedsAreRefusedNamingTheInput() {
        assertThatThrownBy(() -> V2GrpcMapper.toInferRequest(ModelInferRequest.newBuilder()
                        .setModelName("m")
                        .addInputs(input("k", "INT64", 1, 3))
                        .addRawInputContents(ByteString.copyFrom(new byte[16]))
                        .build()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'k'")
                .hasMessageContaining("needs 24 bytes")
                .hasMessageContaining("16 were sent");
    }

    private static GrpcMessage payloadAt(int offset, byte[] message) {
        // the message at an offset of a larger array, as the gRPC server slices it out of a received chunk
        byte[] chunk = new byte[offset + message.length + 3];
        System.arraycopy(message, 0, chunk, offset, message.length);
        return GrpcMessage.message(
                "identity", WireFormat.PROTOBUF, Buffer.buffer(chunk).slice(offset, offset + message.length));
    }

    @Test
    void decoderReadsRawInputContentsWhereThePayloadHoldsThem() {
        byte[] raw = le(8).putFloat(1.5f).putFloat(-2f).array();
        byte[] wire = ModelInferRequest.newBuilder()
                .setModelName("m")
                .addInputs(input("x", "FP32", 1, 2))
                .addRawInputContents(ByteString.copyFrom(raw))
                .build()
                .toByteArray();
        GrpcMessage msg = payloadAt(5, wire);
        LenientDecoder.Decoded<ModelInferRequest> decoded =
                new LenientDecoder<>(ModelInferRequest.getDefaultInstance()).decode(msg);
        assertThat(decoded.error()).isNull();
        Tensor x = V2GrpcMapper.toInferRequest(decoded.message()).inputs().get(0);
        assertThat(x.floats()).containsExactly(1.5f, -2f);
        // no copy on the way: the tensor is a view of the payload's own bytes
        Buffer payload = msg.payload();
        payload.setFloatLE(payload.length() - 4, 9f);
        assertThat(x.floats()).containsExactly(1.5f, 9f);
    }

    @Test
    void decoderRefusesMessagesThatDoNotParseWithTheReason() {
        LenientDecoder<ModelInferRequest> decoder = new LenientDecoder<>(ModelInferRequest.getDefaultInstance());
        // a field 1 (model_name) that claims 100 bytes with only 1 behind it
        LenientDecoder.Decoded<ModelInferRequest> truncated = decoder.decode(payloadAt(2, new byte[] {0x0A, 100, 'm'}));
        assertThat(truncated.message()).isNull();
        assertThat(truncated.error()).contains("inference.ModelInferRequest").contains("truncated");
        // a stray end-group tag at the top level (field 1, wire type 4): parseFrom(byte[]) refuses it, so must we
        LenientDecoder.Decoded<ModelInferRequest> endGroup = decoder.decode(payloadAt(0, new byte[] {0x0C}));
        assertThat(endGroup.message()).isNull();
        assertThat(endGroup.error()).contains("inference.ModelInferRequest");
    }
}
