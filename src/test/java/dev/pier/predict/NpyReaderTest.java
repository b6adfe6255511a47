package dev.pier.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.DataType;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The .npy reader on hand-written files: versions 1 and 2, dtypes, and what it refuses. */
class NpyReaderTest {

    static byte[] file(int major, String dict, byte[] data) {
        int prefix = major == 1 ? 10 : 12;
        int pad = (64 - (prefix + dict.length() + 1) % 64) % 64;
        byte[] header = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(prefix + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) header.length);
        } else {
            b.putInt(header.length);
        }
        return b.put(header).put(data).array();
    }

    @Test
    void readsInt64Version2() {
        ByteBuffer d = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : new long[] {1, -2, 3, 1L << 40, 5, 6}) {
            d.putLong(v);
        }
        Tensor t = NpyReader.parse(
                file(2, "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }", d.array()), "x", "t.npy");
        assertThat(t.datatype()).isEqualTo(DataType.INT64);
        assertThat(t.shape()).isEqualTo(Shape.of(2, 3));
        assertThat(t.longs()).containsExactly(1, -2, 3, 1L << 40, 5, 6);
    }

    @Test
    void readsUint8AndBoolAndDoubleVector() {
        Tensor u = NpyReader.parse(
                file(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", new byte[] {(byte) 255, 0, 7}),
                "u",
                "u.npy");
        assertThat(u.datatype()).isEqualTo(DataType.UINT8);
        assertThat(u.shape()).isEqualTo(Shape.of(3));
        Tensor b = NpyReader.parse(
                file(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", new byte[] {1, 0}), "b", "b.npy");
        assertThat(b.datatype()).isEqualTo(DataType.BOOL);
        ByteBuffer d = ByteBuffer.allocate(16)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putDouble(0.5)
                .putDouble(-1e300);
        Tensor f = NpyReader.parse(
                file(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", d.array()), "f", "f.npy");
        assertThat(f.doubles()).containsExactly(0.5, -1e300);
    }

    @Test
    void refusesFortranOrderBigEndianAndShortData() {
        assertThatThrownBy(() -> NpyReader.parse(
                        file(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }", new byte[4]),
                        "x",
                        "f.npy"))
                .hasMessageContaining("fortran_order");
        assertThatThrownBy(() -> NpyReader.parse(
                        file(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]),
                        "x",
                        "b.npy"))
                .hasMessageContaining("'>f4'");
        assertThatThrownBy(() -> NpyReader.parse(
                        file(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", new byte[8]),
                        "x",
                        "s.npy"))
                .hasMessageContaining("needs 16 data bytes but the file has 8");
        assertThatThrownBy(() -> NpyReader.parse("not numpy".getBytes(StandardCharsets.UTF_8), "x", "n.npy"))
                .hasMessageContaining("not a NumPy .npy file");
    }
}
