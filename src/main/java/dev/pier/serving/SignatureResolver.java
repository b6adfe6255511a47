package dev.pier.serving;

import dev.pier.api.ModelSignature;
import dev.pier.api.Shape;
import dev.pier.api.TensorSpec;
import dev.pier.repository.ModelConfig;
import dev.pier.repository.TensorConfig;
import dev.pier.repository.TritonDataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Merges what {@code config.yaml} says about inputs and outputs with what the model file declares, and
 * refuses a config that contradicts the model (a load failure with this message as the reason). Pure.
 *
 * <p>Rules, as Triton's: every tensor the config names must exist in the model with the same type; with
 * {@code max_batch_size > 0} every model tensor needs a dynamic first (batch) dimension and config
 * {@code dims} leave it out; a config dim may make a dynamic model dim concrete (the stricter one serves),
 * and {@code -1} in the config accepts whatever the model says.
 */
public final class SignatureResolver {
    private SignatureResolver() {}

    /** The signature requests are validated against; throws IllegalArgumentException naming the mismatch. */
    public static ModelSignature resolve(ModelSignature model, ModelConfig config) {
        int maxBatch = config.maxBatchSize();
        if (maxBatch > 0) {
            for (TensorSpec s : concat(model.inputs(), model.outputs())) {
                if (s.shape().rank() == 0 || s.shape().dim(0) != Shape.DYNAMIC) {
                    throw new IllegalArgumentException("config.yaml sets max_batch_size " + maxBatch
                            + ", which needs a dynamic first (batch) dimension, but the model's tensor '" + s.name()
                            + "' has shape " + s.shape());
                }
            }
        }
        return new ModelSignature(
                merge("input", model.inputs(), config.input(), maxBatch),
                merge("output", model.outputs(), config.output(), maxBatch));
    }

    private static List<TensorSpec> merge(
            String kind, List<TensorSpec> declared, List<TensorConfig> configured, int maxBatch) {
        for (TensorConfig c : configured) {
            if (declared.stream().noneMatch(s -> s.name().equals(c.name()))) {
                throw new IllegalArgumentException("config.yaml " + kind + " '" + c.name() + "' is not an " + kind
                        + " of the model; the model's " + kind + "s are "
                        + declared.stream().map(TensorSpec::name).toList());
            }
        }
        List<TensorSpec> merged = new ArrayList<>();
        for (TensorSpec s : declared) {
            Optional<TensorConfig> c =
                    configured.stream().filter(t -> t.name().equals(s.name())).findFirst();
            merged.add(c.map(cfg -> merge(kind, s, cfg, maxBatch)).orElse(s));
        }
        return merged;
    }

    private static TensorSpec merge(String kind, TensorSpec model, TensorConfig config, int maxBatch) {
        if (config.dataType() != null && config.dataType().dataType() != model.datatype()) {
            throw new IllegalArgumentException("config.yaml " + kind + " '" + model.name() + "' has data_type "
                    + config.dataType() + " but the model declares " + TritonDataType.of(model.datatype()));
        }
        if (config.dims() == null) {
            return model;
        }
        long[] dims = config.dims().stream().mapToLong(Long::longValue).toArray();
        long[] full = maxBatch > 0 ? prepend(Shape.DYNAMIC, dims) : dims;
        long[] actual = model.shape().toArray();
        String mismatch = "config.yaml " + kind + " '" + model.name() + "' has dims " + config.dims()
                + (maxBatch > 0 ? " (with max_batch_size " + maxBatch + ": " + Shape.of(full) + ")" : "")
                + " but the model declares shape " + model.shape();
        if (full.length != actual.length) {
            throw new IllegalArgumentException(mismatch);
        }
        long[] merged = new long[full.length];
        for (int i = 0; i < full.length; i++) {
            if (full[i] != Shape.DYNAMIC && actual[i] != Shape.DYNAMIC && full[i] != actual[i]) {
                throw new IllegalArgumentException(mismatch);
            }
            merged[i] = actual[i] != Shape.DYNAMIC ? actual[i] : full[i];
        }
        return new TensorSpec(model.name(), model.datatype(), Shape.of(merged));
    }

    private static long[] prepend(long first, long[] rest) {
        long[] out = new long[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    private static List<TensorSpec> concat(List<TensorSpec> a, List<TensorSpec> b) {
        List<TensorSpec> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
