package dev.pier.runtime;

import dev.pier.api.ModelSignature;
import dev.pier.api.Tensor;
import java.util.List;
import java.util.Map;

/**
 * One loaded model, ready to run. Thread-safe: concurrent {@link #run} calls are allowed. Holds native
 * memory until {@link #close()}; callers must not run after closing.
 */
public interface ModelSession extends AutoCloseable {

    /** Names, types and shapes as the model declares them ({@code -1} for dynamic dimensions). */
    ModelSignature signature();

    /**
     * Runs the model. Inputs are matched by name and must all be present; {@code outputNames} selects and
     * orders the outputs (empty: all, in the model's order). The caller validates the request against the
     * signature first (the serving core does, once, with {@code serving.RequestValidator}); what still fails in the
     * runtime raises InvalidInputException when it is the input's fault.
     */
    List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames);

    /**
     * The symbolic name of each dimension of each input ({@code "batch"}), "" or null where a dimension has none;
     * dynamic dimensions sharing a name must agree in a request. Empty when the model names none.
     */
    default Map<String, List<String>> dimensionNames() {
        return Map.of();
    }

    /** Approximate bytes of memory the loaded model holds (weights), for memory budgets. */
    long sizeBytes();

    @Override
    void close();
}
