package dev.pier.runtime.onnx;

import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelSignature;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks a request against a model signature before any native call, so that the client gets an error
 * naming the input, what the model expects and what was sent (ONNX Runtime's own messages name internal
 * nodes instead). Stateless and thread-safe.
 */
public final class InputValidator {
    private InputValidator() {
    }

    public static void validate(ModelSignature signature, Map<String, Tensor> inputs, List<String> outputNames) {
        validate(signature, Map.of(), inputs, outputNames);
    }

    /**
     * Validates, and also checks that dynamic dimensions sharing a symbolic name (e.g. {@code "batch"} on two
     * inputs) have the same size in the request.
     *
     * @param symbolicDims per input name, the symbolic name of each dimension ("" or null where none)
     */
    public static void validate(ModelSignature signature, Map<String, String[]> symbolicDims,
                                Map<String, Tensor> inputs, List<String> outputNames) {
        for (TensorSpec spec : signature.inputs()) {
            if (!inputs.containsKey(spec.name())) {
                throw new InvalidInputException("missing input '" + spec.name() + "': the model expects inputs "
                        + describe(signature.inputs()) + ", the request has " + inputs.keySet());
            }
        }
        for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
            String name = e.getKey();
            TensorSpec spec = signature.input(name).orElseThrow(() -> new InvalidInputException(
                    "unknown input '" + name + "': the model expects inputs " + describe(signature.inputs())));
            Tensor t = e.getValue();
            if (t.datatype() != spec.datatype()) {
                throw new InvalidInputException("input '" + name + "' has datatype " + t.datatype()
                        + " but the model expects " + spec.datatype());
            }
            if (t.shape().rank() != spec.shape().rank()) {
                throw new InvalidInputException("input '" + name + "' has shape " + t.shape() + " (rank "
                        + t.shape().rank() + ") but the model expects rank " + spec.shape().rank() + " "
                        + spec.shape() + " (-1 = any size)");
            }
            for (int axis = 0; axis < spec.shape().rank(); axis++) {
                long expected = spec.shape().dim(axis);
                if (expected >= 0 && expected != t.shape().dim(axis)) {
                    throw new InvalidInputException("input '" + name + "' has size " + t.shape().dim(axis)
                            + " in dimension " + axis + " (shape " + t.shape() + ") but the model expects "
                            + expected + " (shape " + spec.shape() + ", -1 = any size)");
                }
            }
        }
        checkSymbols(signature, symbolicDims, inputs);
        for (String out : outputNames) {
            if (signature.output(out).isEmpty()) {
                throw new InvalidInputException("unknown output '" + out + "': the model has outputs "
                        + describe(signature.outputs()));
            }
        }
    }

    private static void checkSymbols(ModelSignature signature, Map<String, String[]> symbolicDims,
                                     Map<String, Tensor> inputs) {
        Map<String, String> firstSeen = new java.util.HashMap<>();
        Map<String, Long> sizes = new java.util.HashMap<>();
        for (TensorSpec spec : signature.inputs()) {
            String[] names = symbolicDims.get(spec.name());
            Tensor t = inputs.get(spec.name());
            if (names == null || t == null) {
                continue;
            }
            for (int axis = 0; axis < Math.min(names.length, t.shape().rank()); axis++) {
                String symbol = names[axis];
                if (symbol == null || symbol.isEmpty() || spec.shape().dim(axis) >= 0) {
                    continue;
                }
                long size = t.shape().dim(axis);
                Long previous = sizes.putIfAbsent(symbol, size);
                String here = "input '" + spec.name() + "' dimension " + axis;
                firstSeen.putIfAbsent(symbol, here);
                if (previous != null && previous != size) {
                    throw new InvalidInputException(here + " ('" + symbol + "') has size " + size + " but "
                            + firstSeen.get(symbol) + " ('" + symbol + "') has size " + previous
                            + "; the model requires them to be equal");
                }
            }
        }
    }

    private static String describe(List<TensorSpec> specs) {
        return specs.stream().map(s -> s.name() + " " + s.datatype() + " " + s.shape())
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
