package dev.pier.runtime;

import dev.pier.api.DataType;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Warms a freshly loaded session by running it once on zero-filled inputs built from its signature
 * (dynamic dimensions become 1, strings are empty). The first run of an ONNX Runtime session allocates
 * its memory arena and picks kernels; doing that before reporting READY keeps it off the first request.
 * Stateless and thread-safe.
 */
public final class WarmUp {
    private WarmUp() {}

    /** Runs {@code session} once on zero inputs; engine errors propagate as PierExceptions. */
    public static List<Tensor> run(ModelSession session) {
        return session.run(zeroInputs(session.signature().inputs()), List.of());
    }

    /** Zero-filled tensors for the given specs, dynamic dimensions set to 1. */
    public static Map<String, Tensor> zeroInputs(List<TensorSpec> specs) {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (TensorSpec spec : specs) {
            long[] dims = spec.shape().toArray();
            for (int i = 0; i < dims.length; i++) {
                if (dims[i] == Shape.DYNAMIC) {
                    dims[i] = 1;
                }
            }
            Shape shape = Shape.of(dims);
            int count = Math.toIntExact(shape.elementCount());
            Tensor t = spec.datatype() == DataType.BYTES
                    ? Tensor.ofStrings(
                            spec.name(), shape, Collections.nCopies(count, "").toArray(String[]::new))
                    : Tensor.ofPacked(
                            spec.name(),
                            spec.datatype(),
                            shape,
                            new byte[Math.multiplyExact(count, spec.datatype().byteSize())]);
            inputs.put(spec.name(), t);
        }
        return inputs;
    }
}
