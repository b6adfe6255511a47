package dev.pier.protocol.tfserving.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.protocol.codec.RawTensors;
import dev.pier.protocol.tfserving.proto.TensorProto;
import dev.pier.protocol.tfserving.proto.TensorShapeProto;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TensorProto to Tensor and back, for every dtype Pier serves, and the refusals that name what was wrong. */
class TfTensorsTest {
    static TensorProto.Builder proto(dev.pier.protocol.tfserving.proto.DataType dtype, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return TensorProto.newBuilder().setDtype(dtype).setTensorShape(s);
    }

    static byte[] raw(Tensor t) {
        return RawTensors.encode(t);
    }

    @Test
    void everyTypedFieldDecodesToTheSameBytesAsTheEquivalentTensor() {
        assertThat(raw(TfTensors.decode(
                        "a",
                        proto(dev.pier.protocol.tfserving.proto.DataType.DT_FLOAT, 2)
                                .addFloatVal(1.5f)
                                .addFloatVal(-2f)
                                .build())))
                .isEqualTo(raw(Tensor.ofFloats("a", Shape.of(2), 1.5f, -2f)));
        assertThat(raw(TfTensors.decode(
                        "a",
                        proto(dev.pier.protocol.tfserving.proto.DataType.DT_DOUBLE, 2)
                                .addDoubleVal(0.1)
                                .addDoubleVal(1e300)
                                .build())))
                .isEqualTo(raw(Tensor.ofDoubles("a", Shape.of(2), 0.1, 1e300)));
        assertThat(raw(TfTensors.decode(
                        "a",
                        proto(dev.pier.protocol.tfserving.proto.DataType.DT_INT32, 2)
                                .addIntVal(-7)
                                .addIntVal(Integer.MAX_VALUE)
                                .build())))
                .isEqualTo(raw(Tensor.ofInts("a", Shape.of(2), -7, Integer.MAX_VALUE)));
        assertThat(raw(TfTensors.decode(
                        "a",
                        proto(dev.pier.protocol.tfserving.proto.DataType.DT_INT64, 1)
                                .addInt64Val(Long.MIN_VALUE)
                                .build())))
                .isEqualTo(raw(Tensor.ofLongs("a", Shape.of(1), Long.MIN_VALUE)));
        assertThat(raw(TfTensors.decode(
                        "a",
                        proto(dev.pier.protocol.tfserving.proto.DataType.DT_INT8, 2)
                                .addIntVal(-128)
                                .addIntVal(127)
                                .build())))
                .containsExactly(0x80, 0x7F);
        assertThat(raw(TfTensors.decode(
                        "a",
                        proto(dev.pier.protocol.tfserving.proto.DataType.DT_UINT8, 2)
                                .addIntVal(255)
                                .addIntVal(0)
                                .build())))
                .containsExactly(0xFF, 0);
        assertThat(raw(TfTensors.decode(
                        "a",
                        proto(dev.pier.protocol.tfserving.proto.DataType.DT_INT16, 1)
                                .addIntVal(-2)
                                .build())))
                .containsExactly(0xFE, 0xFF);
        assertThat(raw(TfTensors.decode(
                        "a",
                        proto(dev.pier.protocol.tfserving.proto.DataType.DT_UINT16, 1)
                                .addIntVal(65535)
                                .build())))
                .containsExactly(0xFF, 0xFF);
        assertThat(raw(TfTensors.decode(
                        "a",
                        proto(dev.pier.protocol.tfserving.proto.DataType.DT_UINT32, 1)
                                .addUint32Val(-1)
                                .build())))
                .containsExactly(0xFF, 0xFF, 0xFF, 0xFF);
        assertThat(raw(TfTensors.decode(
                        "a",
                        proto(dev.pier.protocol.tfserving.proto.DataType.DT_UINT64, 1)
                                .addUint64Val(-1L)
                                .build())))
                .containsExactly(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
        assertThat(raw(TfTensors.decode(
                        "a",
                        proto(dev.pier.protocol.tfserving.proto.DataType.DT_BOOL, 2)
                                .addBoolVal(true)
                                .addBoolVal(false)
                                .build())))
                .containsExactly(1, 0);
        // DT_HALF 1.0 is 0x3C00, DT_BFLOAT16 1.0 is 0x3F80: the bits ride in the low half of an int32
        Tensor half = TfTensors.decode(
                "h",
                proto(dev.pier.protocol.tfserving.proto.DataType.DT_HALF, 1)
                        .addHalfVal(0x3C00)
                        .build());
        assertThat(half.datatype()).isEqualTo(DataType.FP16);
        assertThat(raw(half)).containsExactly(0x00, 0x3C);
        Tensor bf = TfTensors.decode(
                "b",
                proto(dev.pier.protocol.tfserving.proto.DataType.DT_BFLOAT16, 1)
                        .addHalfVal(0x3F80)
                        .build());
        assertThat(bf.datatype()).isEqualTo(DataType.BF16);
        assertThat(raw(bf)).containsExactly(0x80, 0x3F);
        Tensor s = TfTensors.decode(
                "s",
                proto(dev.pier.protocol.tfserving.proto.DataType.DT_STRING, 2)
                        .addStringVal(ByteString.copyFromUtf8("x"))
                        .addStringVal(ByteString.copyFrom(new byte[] {0, (byte) 0xFF}))
                        .build());
        assertThat(s.datatype()).isEqualTo(DataType.BYTES);
        assertThat(s.strings()).hasSize(2);
    }

    @Test
    void tensorContentIsTakenAsItIsAndOneTypedValueFillsTheShape() {
        Tensor floats = Tensor.ofFloats("a", Shape.of(2, 2), 1, 2, 3, 4);
        Tensor decoded = TfTensors.decode(
                "a",
                proto(dev.pier.protocol.tfserving.proto.DataType.DT_FLOAT, 2, 2)
                        .setTensorContent(ByteString.copyFrom(raw(floats)))
                        .build());
        assertThat(decoded.shape()).isEqualTo(Shape.of(2, 2));
        assertThat(decoded.floats()).containsExactly(1, 2, 3, 4);
        assertThat(TfTensors.decode(
                                "a",
                                proto(dev.pier.protocol.tfserving.proto.DataType.DT_FLOAT, 3)
                                        .addFloatVal(7)
                                        .build())
                        .floats())
                .containsExactly(7, 7, 7);
        assertThat(TfTensors.decode(
                                "a",
                                proto(dev.pier.protocol.tfserving.proto.DataType.DT_FLOAT, 0, 784)
                                        .build())
                        .shape())
                .isEqualTo(Shape.of(0, 784));
        assertThat(TfTensors.decode(
                                "a",
                                proto(dev.pier.protocol.tfserving.proto.DataType.DT_INT32)
                                        .addIntVal(5)
                                        .build())
                        .ints())
                .containsExactly(5);
    }

    @Test
    void answersCarryNumbersInTensorContentAndStringsInStringVal() {
        TensorProto f = TfTensors.encode(Tensor.ofFloats("y", Shape.of(1, 2), 0.5f, 1f));
        assertThat(f.getDtype()).isEqualTo(dev.pier.protocol.tfserving.proto.DataType.DT_FLOAT);
        assertThat(f.getTensorShape().getDimList())
                .extracting(TensorShapeProto.Dim::getSize)
                .containsExactly(1L, 2L);
        assertThat(TfTensors.decode("y", f).floats()).containsExactly(0.5f, 1f);
        TensorProto s = TfTensors.encode(Tensor.ofStrings("t", Shape.of(2), "a", "b"));
        assertThat(s.getStringValList()).containsExactly(ByteString.copyFromUtf8("a"), ByteString.copyFromUtf8("b"));
        assertThat(s.getTensorContent()).isEmpty();
        for (DataType type : DataType.values()) {
            assertThat(TfTensors.datatype("x", TfTensors.dtype(type))).isEqualTo(type);
        }
    }

    static void refused(TensorProto p, String... fragments) {
        assertThatThrownBy(() -> TfTensors.decode("pixels", p))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContainingAll(fragments)
                .hasMessageContaining("'pixels'");
    }

    @Test
    void mistakesAreRefusedNamingTheInputAndWhatWasExpected() {
        var F = dev.pier.protocol.tfserving.proto.DataType.DT_FLOAT;
        refused(proto(F, 3).addFloatVal(1).addFloatVal(2).build(), "float_val has 2", "3 values");
        refused(
                proto(F, 3).setTensorContent(ByteString.copyFrom(new byte[8])).build(),
                "tensor_content has 8 bytes",
                "needs 12");
        refused(proto(F, 1).addIntVal(1).build(), "DT_FLOAT", "float_val", "int_val");
        refused(
                proto(F, 1)
                        .addFloatVal(1)
                        .setTensorContent(ByteString.copyFrom(new byte[4]))
                        .build(),
                "float_val");
        refused(proto(dev.pier.protocol.tfserving.proto.DataType.DT_INVALID, 1).build(), "dtype is not set");
        refused(
                proto(dev.pier.protocol.tfserving.proto.DataType.DT_COMPLEX64, 1)
                        .build(),
                "DT_COMPLEX64");
        refused(
                proto(dev.pier.protocol.tfserving.proto.DataType.DT_INT8, 1)
                        .addIntVal(300)
                        .build(),
                "300",
                "out of range");
        refused(
                proto(dev.pier.protocol.tfserving.proto.DataType.DT_UINT8, 1)
                        .addIntVal(-1)
                        .build(),
                "-1",
                "out of range");
        refused(
                proto(dev.pier.protocol.tfserving.proto.DataType.DT_STRING, 1)
                        .setTensorContent(ByteString.copyFromUtf8("ab"))
                        .build(),
                "string_val");
        refused(proto(F, -1, 3).build(), "-1", "concrete");
        refused(
                TensorProto.newBuilder()
                        .setDtype(F)
                        .setTensorShape(TensorShapeProto.newBuilder().setUnknownRank(true))
                        .build(),
                "unknown_rank");
        refused(proto(F, 1L << 20, 1L << 20).build(), "more elements");
        refused(proto(F, 2).addAllScomplexVal(List.of(1f, 2f)).addFloatVal(1).build(), "complex");
    }
}
