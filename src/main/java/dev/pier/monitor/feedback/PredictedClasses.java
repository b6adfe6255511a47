package dev.pier.monitor.feedback;

import dev.pier.api.DataType;
import dev.pier.api.InferResponse;
import dev.pier.api.Tensor;
import java.nio.ByteBuffer;

/**
 * Reads the predicted class of each row from a response, for classifiers: the first output that is either
 * scores ({@code FP16/BF16/FP32/FP64 [n, k]} with k ≥ 2, or {@code [k]} for one unbatched row: argmax,
 * lowest index on ties) or class ids (an integer {@code [n]} or {@code [n, 1]} output). Stateless.
 */
public final class PredictedClasses {
    private PredictedClasses() {}

    /** The predicted class per row, or null when no output reads as a classification. */
    public static int[] of(InferResponse response) {
        for (Tensor t : response.outputs()) {
            int[] classes = of(t);
            if (classes != null) {
                return classes;
            }
        }
        return null;
    }

    static int[] of(Tensor t) {
        long[] dims = t.shape().toArray();
        DataType type = t.datatype();
        if (isReal(type) && (dims.length == 2 && dims[1] >= 2 || dims.length == 1 && dims[0] >= 2)) {
            int rows = dims.length == 2 ? Math.toIntExact(dims[0]) : 1;
            int k = Math.toIntExact(dims[dims.length - 1]);
            ByteBuffer v = t.packed().view();
            int[] out = new int[rows];
            for (int r = 0; r < rows; r++) {
                int best = 0;
                double top = real(v, type, r * k);
                for (int c = 1; c < k; c++) {
                    double x = real(v, type, r * k + c);
                    if (x > top) {
                        top = x;
                        best = c;
                    }
                }
                out[r] = best;
            }
            return out;
        }
        if (isInteger(type) && (dims.length == 1 || dims.length == 2 && dims[1] == 1)) {
            long[] ids = t.datatype() == DataType.INT64 ? t.longs() : widen(t);
            int[] out = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] < 0 || ids[i] > Integer.MAX_VALUE) {
                    return null;
                }
                out[i] = (int) ids[i];
            }
            return out;
        }
        return null;
    }

    private static boolean isReal(DataType t) {
        return t == DataType.FP16 || t == DataType.BF16 || t == DataType.FP32 || t == DataType.FP64;
    }

    private static boolean isInteger(DataType t) {
        return switch (t) {
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32 -> true;
            default -> false;
        };
    }

    /** Element {@code i} of a real-valued tensor's packed bytes, read in place (no array per response). */
    private static double real(ByteBuffer b, DataType type, int i) {
        return switch (type) {
            case FP16 -> Float.float16ToFloat(b.getShort(i * 2));
            case BF16 -> Float.intBitsToFloat((b.getShort(i * 2) & 0xFFFF) << 16);
            case FP32 -> b.getFloat(i * 4);
            default -> b.getDouble(i * 8);
        };
    }

    private static long[] widen(Tensor t) {
        ByteBuffer b = t.packed().view();
        int n = Math.toIntExact(t.elementCount());
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (t.datatype()) {
                case INT8 -> b.get(i);
                case UINT8 -> b.get(i) & 0xFF;
                case INT16 -> b.getShort(i * 2);
                case UINT16 -> b.getShort(i * 2) & 0xFFFF;
                case INT32 -> b.getInt(i * 4);
                default -> Integer.toUnsignedLong(b.getInt(i * 4));
            };
        }
        return out;
    }
}
