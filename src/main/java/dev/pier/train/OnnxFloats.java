package dev.pier.train;

import dev.pier.api.InvalidInputException;
import dev.pier.onnx.proto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads ONNX constant tensors (raw little-endian or typed fields) into Java arrays. Stateless. */
final class OnnxFloats {
    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    private OnnxFloats() {}

    static float[] of(TensorProto t, String model) {
        if (t.getDataType() != FLOAT) {
            throw new InvalidInputException(model + ": initializer '" + t.getName() + "' has ONNX data type "
                    + t.getDataType() + "; only FLOAT (1) weights can be imported");
        }
        if (t.hasRawData()) {
            ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[b.remaining() / 4];
            b.asFloatBuffer().get(out);
            return out;
        }
        float[] out = new float[t.getFloatDataCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.getFloatData(i);
        }
        return out;
    }

    static long[] longs(TensorProto t, String model) {
        if (t.getDataType() != INT64) {
            throw new InvalidInputException(
                    model + ": initializer '" + t.getName() + "' must be INT64, has type " + t.getDataType());
        }
        if (t.hasRawData()) {
            ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            long[] out = new long[b.remaining() / 8];
            b.asLongBuffer().get(out);
            return out;
        }
        return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
    }
}
