package dev.pier.protocol.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.pier.api.DataType;
import dev.pier.api.InferRequest;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Tensor;
import dev.pier.protocol.grpc.v2.InferTensorContents;
import dev.pier.protocol.grpc.v2.ModelInferRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
}
