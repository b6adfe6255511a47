package dev.pier.serving;

import dev.pier.api.DataType;
import dev.pier.api.InferRequest;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorData;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Triton's classification extension: a requested output with {@code parameters: {"classification": K}} is
 * answered as a BYTES tensor of the top K classes of each row, each element {@code "score:index:label"}
 * ({@code "score:index"} when the output has no labels), highest score first, scores written as Triton's
 * {@code std::to_string} writes them ({@code %f}). A tensor of rank 2 or more has one row per first-dimension
 * entry (answer shape {@code [rows, K]}); a vector is one row (answer shape {@code [K]}). K larger than the number of
 * classes gives every class. Applies to any model or ensemble whose output is numeric. Pure.
 */
public final class Classification {
    public static final String PARAMETER = "classification";

    private Classification() {}

    /** Fails with {@link InvalidInputException} when a requested K is not a whole number >= 1. */
    static void validate(List<InferRequest.RequestedOutput> requested) {
        for (InferRequest.RequestedOutput o : requested) {
            Object k = o.parameters().get(PARAMETER);
            if (k != null) {
                topK(o.name(), k);
            }
        }
    }

    /** True when some requested output asks for classification. */
    static boolean requested(List<InferRequest.RequestedOutput> requested) {
        for (InferRequest.RequestedOutput o : requested) {
            if (o.parameters().containsKey(PARAMETER)) {
                return true;
            }
        }
        return false;
    }

    /** The outputs with each one that asks for classification replaced by its top-K strings. */
    static List<Tensor> apply(
            List<Tensor> outputs, List<InferRequest.RequestedOutput> requested, Map<String, List<String>> labels) {
        List<Tensor> out = new ArrayList<>(outputs.size());
        for (Tensor t : outputs) {
            Object k = requested.stream()
                    .filter(o -> o.name().equals(t.name()))
                    .findFirst()
                    .map(o -> o.parameters().get(PARAMETER))
                    .orElse(null);
            out.add(k == null ? t : classify(t, topK(t.name(), k), labels.getOrDefault(t.name(), List.of())));
        }
        return out;
    }

    static Tensor classify(Tensor t, int k, List<String> labels) {
        if (t.datatype() == DataType.BYTES || t.datatype() == DataType.BOOL) {
            throw new InvalidInputException("output '" + t.name() + "' is " + t.datatype()
                    + "; the classification extension needs a numeric output");
        }
        boolean rows = t.shape().rank() >= 2;
        int rowCount = rows ? (int) t.shape().dim(0) : 1;
        int classes = rowCount == 0 ? 0 : (int) (t.elementCount() / rowCount);
        int keep = Math.min(k, classes);
        double[] values = values(t);
        List<byte[]> elements = new ArrayList<>(rowCount * keep);
        boolean integral = !t.datatype().isFloatingPoint();
        for (int r = 0; r < rowCount; r++) {
            int base = r * classes;
            Integer[] order = new Integer[classes];
            for (int i = 0; i < classes; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> {
                int c = Double.compare(values[base + b], values[base + a]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            for (int j = 0; j < keep; j++) {
                int index = order[j];
                double v = values[base + index];
                String score = integral ? Long.toString((long) v) : String.format(Locale.ROOT, "%f", v);
                String text = score + ":" + index + (index < labels.size() ? ":" + labels.get(index) : "");
                elements.add(text.getBytes(StandardCharsets.UTF_8));
            }
        }
        Shape shape = rows ? Shape.of(rowCount, keep) : Shape.of(keep);
        return new Tensor(t.name(), DataType.BYTES, shape, new TensorData.Strings(elements));
    }

    private static double[] values(Tensor t) {
        int n = (int) t.elementCount();
        double[] out = new double[n];
        ByteBuffer b = t.packed().view();
        for (int i = 0; i < n; i++) {
            out[i] = switch (t.datatype()) {
                case FP32 -> b.getFloat(i * 4);
                case FP64 -> b.getDouble(i * 8);
                case FP16 -> Float.float16ToFloat(b.getShort(i * 2));
                case BF16 -> Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
                case INT8 -> b.get(i);
                case UINT8 -> b.get(i) & 0xff;
                case INT16 -> b.getShort(i * 2);
                case UINT16 -> b.getShort(i * 2) & 0xffff;
                case INT32 -> b.getInt(i * 4);
                case UINT32 -> b.getInt(i * 4) & 0xffffffffL;
                case INT64, UINT64 -> b.getLong(i * 8);
                default -> throw new IllegalStateException("unreachable: " + t.datatype());
            };
        }
        return out;
    }

    private static int topK(String output, Object k) {
        try {
            long v = k instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                    ? n.longValue()
                    : Long.parseLong(k.toString().trim());
            if (v >= 1 && v <= Integer.MAX_VALUE) {
                return (int) v;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw new InvalidInputException("output '" + output + "': parameter '" + PARAMETER
                + "' must be a whole number of classes >= 1, got '" + k + "'");
    }
}
