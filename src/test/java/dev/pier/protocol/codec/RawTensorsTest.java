package dev.pier.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The raw layout of the V2 binary extension and gRPC raw contents: byte-exact in both directions. */
class RawTensorsTest {

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void encodesFp32Int64AndBytesByteExact() {
        assertThat(RawTensors.encode(Tensor.ofFloats("f", Shape.of(3), 1.5f, -0f, Float.MIN_VALUE)))
                .containsExactly(le(12).putFloat(1.5f)
                        .putFloat(-0f)
                        .putFloat(Float.MIN_VALUE)
                        .array());
        assertThat(RawTensors.encode(Tensor.ofLongs("l", Shape.of(2), Long.MIN_VALUE, 7)))
                .containsExactly(le(16).putLong(Long.MIN_VALUE).putLong(7).array());
        assertThat(RawTensors.encode(Tensor.ofStrings("s", Shape.of(3), "ab", "", "é")))
                .containsExactly(le(4 + 2 + 4 + 4 + 2)
                        .putInt(2)
                        .put("ab".getBytes(StandardCharsets.UTF_8))
                        .putInt(0)
                        .putInt(2)
                        .put("é".getBytes(StandardCharsets.UTF_8))
                        .array());
    }

    @Test
    void writesIntoAMessageAtAnOffsetAndReturnsTheOffsetAfterIt() {
        Tensor f = Tensor.ofFloats("f", Shape.of(2), 0.25f, -8f);
        Tensor l = Tensor.ofLongs("l", Shape.of(1), 1L << 40);
        Tensor s = Tensor.ofStrings("s", Shape.of(1), "xyz");
        byte[] out = new byte[3 + RawTensors.size(f) + RawTensors.size(l) + RawTensors.size(s)];
        out[0] = 'J';
        int at = RawTensors.write(f, out, 3);
        assertThat(at).isEqualTo(11);
        at = RawTensors.write(l, out, at);
        assertThat(at).isEqualTo(19);
        at = RawTensors.write(s, out, at);
        assertThat(at).isEqualTo(out.length);
        ByteBuffer expected = le(out.length)
                .put((byte) 'J')
                .put((byte) 0)
                .put((byte) 0)
                .putFloat(0.25f)
                .putFloat(-8f)
                .putLong(1L << 40)
                .putInt(3)
                .put("xyz".getBytes(StandardCharsets.UTF_8));
        assertThat(out).containsExactly(expected.array());
    }

    @Test
    void decodesFixedWidthDataAsAViewOfTheSourceWithoutMovingIt() {
        byte[] source = le(4 + 8).putInt(99).putFloat(2f).putFloat(3f).array();
        ByteBuffer slice = ByteBuffer.wrap(source, 4, 8);
        Tensor t = RawTensors.decode("x", DataType.FP32, Shape.of(1, 2), slice);
        assertThat(t.floats()).containsExactly(2f, 3f);
        assertThat(slice.position()).isEqualTo(4);
        // a view, not a copy: the tensor reads the bytes where they lie (the request body's, never written again)
        ByteBuffer.wrap(source).order(ByteOrder.LITTLE_ENDIAN).putFloat(4, 5f);
        assertThat(t.floats()).containsExactly(5f, 3f);
        assertThat(t.packed().bytes().isReadOnly()).isTrue();
    }

    @Test
    void rawDataShorterOrLongerThanTheShapeNeedsIsRefusedNamingBoth() {
        assertThatThrownBy(() -> RawTensors.decode("x", DataType.FP32, Shape.of(1, 2), ByteBuffer.wrap(new byte[7])))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'x'")
                .hasMessageContaining("needs 8 bytes")
                .hasMessageContaining("7 were sent");
        assertThatThrownBy(() -> RawTensors.decode("k", DataType.INT64, Shape.of(2), new byte[24], 4, 20))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'k'")
                .hasMessageContaining("needs 16 bytes")
                .hasMessageContaining("20 were sent");
        byte[] oneString = le(5).putInt(1).put((byte) 'a').array();
        assertThatThrownBy(() -> RawTensors.decode("s", DataType.BYTES, Shape.of(2), ByteBuffer.wrap(oneString)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'s'")
                .hasMessageContaining("needs 2 elements")
                .hasMessageContaining("holds 1");
        byte[] cut = le(6).putInt(5).put((byte) 'a').put((byte) 'b').array();
        assertThatThrownBy(() -> RawTensors.decode("s", DataType.BYTES, Shape.of(1), ByteBuffer.wrap(cut)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("declares 5 bytes but only 2 remain");
    }

    @Test
    void bytesRoundTripThroughTheLengthPrefixedLayout() {
        Tensor s = Tensor.ofStrings("s", Shape.of(2, 1), "hello", "");
        Tensor back = RawTensors.decode("s", DataType.BYTES, Shape.of(2, 1), ByteBuffer.wrap(RawTensors.encode(s)));
        assertThat(back.strings()).containsExactly("hello", "");
        assertThat(back.shape()).isEqualTo(Shape.of(2, 1));
    }
}
