package dev.pier.bench;

import dev.pier.api.DataType;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Inputs shaped from a model's declared signature, filled with seeded random values, for load tests when
 * the user gives no data: the first dynamic dimension becomes the batch size, other dynamic dimensions 1.
 * Floats are uniform in [0, 1) (like scaled pixels); integers small and non-negative; booleans random.
 */
public final class RandomInputs {
    private RandomInputs() {}

    public static Map<String, Tensor> forSignature(List<TensorSpec> inputs, int batchSize, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorSpec spec : inputs) {
            Shape shape = concrete(spec.shape(), batchSize);
            out.put(spec.name(), random(spec.name(), spec.datatype(), shape, random));
        }
        return out;
    }

    static Shape concrete(Shape declared, int batchSize) {
        long[] dims = declared.toArray();
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == Shape.DYNAMIC) {
                dims[i] = i == 0 ? batchSize : 1;
            }
        }
        return Shape.of(dims);
    }

    static Tensor random(String name, DataType type, Shape shape, SplittableRandom random) {
        int n = Math.toIntExact(shape.elementCount());
        if (type == DataType.BYTES) {
            String[] values = new String[n];
            for (int i = 0; i < n; i++) {
                values[i] = "s" + random.nextInt(1000);
            }
            return Tensor.ofStrings(name, shape, values);
        }
        ByteBuffer buf = ByteBuffer.allocate(n * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            switch (type) {
                case FP32 -> buf.putFloat(random.nextFloat());
                case FP64 -> buf.putDouble(random.nextDouble());
                case FP16, BF16 -> buf.putShort((short) 0); // zero in both encodings
                case BOOL -> buf.put((byte) random.nextInt(2));
                default -> {
                    long v = random.nextInt(8);
                    switch (type.byteSize()) {
                        case 1 -> buf.put((byte) v);
                        case 2 -> buf.putShort((short) v);
                        case 4 -> buf.putInt((int) v);
                        default -> buf.putLong(v);
                    }
                }
            }
        }
        return Tensor.ofPacked(name, type, shape, buf.array());
    }
}
