package dev.pier.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A named tensor: the one value that crosses every boundary (protocols, batching, runtime).
 * The constructor checks that the data matches the datatype and the shape, so a Tensor that exists is
 * consistent; protocol decoders turn that check's failure into a client error.
 */
public record Tensor(String name, DataType datatype, Shape shape, TensorData data) {

    public Tensor {
        if (name == null || name.isEmpty()) {
            throw new InvalidInputException("tensor name must not be empty");
        }
        if (!shape.isFullyDefined()) {
            throw new InvalidInputException("tensor '" + name + "' has a dynamic dimension in shape " + shape
                    + "; a request tensor needs concrete dimensions");
        }
        boolean strings = datatype == DataType.BYTES;
        if (strings != (data instanceof TensorData.Strings)) {
            throw new IllegalArgumentException("tensor '" + name + "' of type " + datatype + " cannot hold "
                    + data.getClass().getSimpleName());
        }
        if (data instanceof TensorData.Packed packed && packed.byteLength() % datatype.byteSize() != 0) {
            throw new InvalidInputException("tensor '" + name + "' has " + packed.byteLength()
                    + " bytes, not a multiple of the " + datatype.byteSize() + "-byte " + datatype + " element");
        }
        long expected = shape.elementCount();
        long actual = data.elementCount(datatype);
        if (expected != actual) {
            throw new InvalidInputException("tensor '" + name + "' has shape " + shape + " (" + expected
                    + " elements) but " + actual + " elements of data");
        }
    }

    public long elementCount() {
        return shape.elementCount();
    }

    public Tensor withName(String newName) {
        return new Tensor(newName, datatype, shape, data);
    }

    // ---- construction from Java arrays (tests, CLI, training code) ----

    public static Tensor ofFloats(String name, Shape shape, float... values) {
        ByteBuffer buf = allocate(values.length, 4);
        buf.asFloatBuffer().put(values);
        return new Tensor(name, DataType.FP32, shape, new TensorData.Packed(buf));
    }

    public static Tensor ofDoubles(String name, Shape shape, double... values) {
        ByteBuffer buf = allocate(values.length, 8);
        buf.asDoubleBuffer().put(values);
        return new Tensor(name, DataType.FP64, shape, new TensorData.Packed(buf));
    }

    public static Tensor ofInts(String name, Shape shape, int... values) {
        ByteBuffer buf = allocate(values.length, 4);
        buf.asIntBuffer().put(values);
        return new Tensor(name, DataType.INT32, shape, new TensorData.Packed(buf));
    }

    public static Tensor ofLongs(String name, Shape shape, long... values) {
        ByteBuffer buf = allocate(values.length, 8);
        buf.asLongBuffer().put(values);
        return new Tensor(name, DataType.INT64, shape, new TensorData.Packed(buf));
    }

    public static Tensor ofStrings(String name, Shape shape, String... values) {
        List<byte[]> elements = new ArrayList<>(values.length);
        for (String v : values) {
            elements.add(v.getBytes(StandardCharsets.UTF_8));
        }
        return new Tensor(name, DataType.BYTES, shape, new TensorData.Strings(elements));
    }

    public static Tensor ofPacked(String name, DataType type, Shape shape, byte[] littleEndian) {
        return new Tensor(name, type, shape, TensorData.Packed.wrap(littleEndian));
    }

    // ---- reading back as Java arrays ----

    public float[] floats() {
        requireType(DataType.FP32);
        float[] out = new float[(int) elementCount()];
        packed().view().asFloatBuffer().get(out);
        return out;
    }

    public double[] doubles() {
        requireType(DataType.FP64);
        double[] out = new double[(int) elementCount()];
        packed().view().asDoubleBuffer().get(out);
        return out;
    }

    public int[] ints() {
        requireType(DataType.INT32);
        int[] out = new int[(int) elementCount()];
        packed().view().asIntBuffer().get(out);
        return out;
    }

    public long[] longs() {
        requireType(DataType.INT64);
        long[] out = new long[(int) elementCount()];
        packed().view().asLongBuffer().get(out);
        return out;
    }

    public List<String> strings() {
        requireType(DataType.BYTES);
        List<String> out = new ArrayList<>();
        for (byte[] e : ((TensorData.Strings) data).elements()) {
            out.add(new String(e, StandardCharsets.UTF_8));
        }
        return out;
    }

    public TensorData.Packed packed() {
        if (data instanceof TensorData.Packed p) {
            return p;
        }
        throw new IllegalStateException("tensor '" + name + "' of type " + datatype + " has no packed data");
    }

    private void requireType(DataType expected) {
        if (datatype != expected) {
            throw new IllegalStateException("tensor '" + name + "' is " + datatype + ", not " + expected);
        }
    }

    private static ByteBuffer allocate(int count, int width) {
        return ByteBuffer.allocate(Math.multiplyExact(count, width)).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + datatype + " " + shape + "]";
    }
}
