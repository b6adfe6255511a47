package dev.pier.serving;

import dev.pier.api.InferRequest;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelSignature;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a request against the signature a version serves with (model file + config overrides) before it
 * reaches the runtime, so that every mistake comes back as an {@link InvalidInputException} that names the
 * input, what was expected and what was sent. The one validation of the serving path: the serving core runs it
 * once, on the caller's thread, before submitting; the runtime session does not check again. Pure and stateless.
 */
public final class RequestValidator {
    private RequestValidator() {}

    /**
     * Validates inputs and requested outputs.
     *
     * @param maxBatchSize Triton's {@code max_batch_size}: when > 0 the first dimension of every input is the
     *                     batch, at most this large and the same across inputs
     * @return the output names to compute, in the order the client asked (all outputs when none asked)
     */
    public static List<String> validate(InferRequest request, ModelSignature signature, int maxBatchSize) {
        return validate(request, signature, maxBatchSize, Map.of());
    }

    /**
     * Validates, and also checks that dynamic dimensions sharing a symbolic name (e.g. {@code "batch"} on two
     * inputs) have the same size in the request.
     *
     * @param dimensionNames per input, the symbolic name of each dimension ("" or null where none)
     */
    public static List<String> validate(
            InferRequest request,
            ModelSignature signature,
            int maxBatchSize,
            Map<String, List<String>> dimensionNames) {
        // built only for a message: this runs on every request
        java.util.function.Supplier<String> model = () -> "model '" + request.model() + "'";
        // duplicates need a set only where there are two inputs or more (one is the common request)
        List<Tensor> inputs = request.inputs();
        Set<String> seen = inputs.size() > 1 ? new HashSet<>() : null;
        long batch = -1;
        String batchInput = null;
        for (Tensor t : inputs) {
            if (seen != null && !seen.add(t.name())) {
                throw new InvalidInputException("input '" + t.name() + "' is given twice");
            }
            TensorSpec spec = signature
                    .input(t.name())
                    .orElseThrow(() -> new InvalidInputException(model.get() + " has no input '" + t.name()
                            + "'; its inputs are " + names(signature.inputs())));
            if (t.datatype() != spec.datatype()) {
                throw new InvalidInputException(
                        "input '" + t.name() + "' must be " + spec.datatype() + ", got " + t.datatype());
            }
            if (!t.shape().fits(spec.shape())) {
                throw new InvalidInputException("input '" + t.name() + "' must have shape " + spec.shape()
                        + " (-1 = any size), got " + t.shape());
            }
            if (maxBatchSize > 0) {
                long b = t.shape().dim(0);
                if (b > maxBatchSize) {
                    throw new InvalidInputException("input '" + t.name() + "' has batch size " + b
                            + ", more than the model's max_batch_size " + maxBatchSize);
                }
                if (batchInput != null && b != batch) {
                    throw new InvalidInputException("inputs must share the batch size: '" + batchInput + "' has "
                            + batch + ", '" + t.name() + "' has " + b);
                }
                batch = b;
                batchInput = t.name();
            }
        }
        // every input sent is distinct and declared, so the request lacks one exactly when it sent fewer
        if (inputs.size() < signature.inputs().size()) {
            List<String> sent = inputs.stream().map(Tensor::name).toList();
            for (TensorSpec spec : signature.inputs()) {
                if (!sent.contains(spec.name())) {
                    throw new InvalidInputException(model.get() + " needs input '" + spec.name() + "' ("
                            + spec.datatype() + " " + spec.shape() + "), which the request lacks; it sent " + sent);
                }
            }
        }
        checkSymbols(request, signature, dimensionNames);
        return outputs(request, signature, model);
    }

    private static void checkSymbols(
            InferRequest request, ModelSignature signature, Map<String, List<String>> dimensionNames) {
        if (dimensionNames.isEmpty()) {
            return;
        }
        // symbol -> {size, input index, axis} of its first use; made only when a request has a symbolic dimension
        Map<String, long[]> first = null;
        List<Tensor> inputs = request.inputs();
        for (int i = 0; i < inputs.size(); i++) {
            Tensor t = inputs.get(i);
            List<String> names = dimensionNames.get(t.name());
            if (names == null) {
                continue;
            }
            TensorSpec spec = signature.input(t.name()).orElseThrow();
            for (int axis = 0; axis < Math.min(names.size(), t.shape().rank()); axis++) {
                String symbol = names.get(axis);
                if (symbol == null || symbol.isEmpty() || spec.shape().dim(axis) >= 0) {
                    continue;
                }
                long size = t.shape().dim(axis);
                if (first == null) {
                    first = new HashMap<>(4);
                }
                long[] previous = first.putIfAbsent(symbol, new long[] {size, i, axis});
                if (previous != null && previous[0] != size) {
                    throw new InvalidInputException("input '" + t.name() + "' dimension " + axis + " ('" + symbol
                            + "') has size " + size + " but input '"
                            + inputs.get((int) previous[1]).name()
                            + "' dimension " + previous[2] + " ('" + symbol + "') has size " + previous[0]
                            + "; the model requires them to be equal");
                }
            }
        }
    }

    private static List<String> outputs(
            InferRequest request, ModelSignature signature, java.util.function.Supplier<String> model) {
        if (request.outputs().isEmpty()) {
            return names(signature.outputs());
        }
        List<String> names = new ArrayList<>();
        for (InferRequest.RequestedOutput o : request.outputs()) {
            if (signature.output(o.name()).isEmpty()) {
                throw new InvalidInputException(model.get() + " has no output '" + o.name() + "'; its outputs are "
                        + names(signature.outputs()));
            }
            if (names.contains(o.name())) {
                throw new InvalidInputException("output '" + o.name() + "' is requested twice");
            }
            names.add(o.name());
        }
        return List.copyOf(names);
    }

    private static List<String> names(List<TensorSpec> specs) {
        String[] names = new String[specs.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = specs.get(i).name();
        }
        return List.of(names);
    }
}
