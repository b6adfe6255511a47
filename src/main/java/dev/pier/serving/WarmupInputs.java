package dev.pier.serving;

import dev.pier.api.DataType;
import dev.pier.api.ModelSignature;
import dev.pier.api.Tensor;
import dev.pier.api.TensorData;
import dev.pier.api.TensorSpec;
import dev.pier.api.Shape;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Inputs for the warm-up inference a loader runs before it reports a version ready: zeros (empty strings
 * for BYTES) in every input's declared shape, with each dynamic dimension set to 1. A model that cannot
 * run even that is not ready to serve. Pure.
 */
public final class WarmupInputs {
    private WarmupInputs() {
    }

    public static Map<String, Tensor> zeros(ModelSignature signature) {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (TensorSpec spec : signature.inputs()) {
            Shape shape = RequestValidator.concrete(spec.shape());
            int count = Math.toIntExact(shape.elementCount());
            Tensor t = spec.datatype() == DataType.BYTES
                    ? new Tensor(spec.name(), DataType.BYTES, shape, new TensorData.Strings(Collections.nCopies(count, new byte[0])))
                    : Tensor.ofPacked(spec.name(), spec.datatype(), shape, new byte[Math.multiplyExact(count, spec.datatype().byteSize())]);
            inputs.put(spec.name(), t);
        }
        return inputs;
    }
}
