package dev.pier.api.step;

import dev.pier.api.ModelSignature;
import dev.pier.api.Tensor;
import java.util.List;
import java.util.Map;

/**
 * One processing step, served as a model version. {@link #run} is called on the version's own worker threads
 * (never on a network event loop), concurrently when the model's {@code instance_group} asks for more than
 * one execution: implementations must be thread-safe. The request is validated against {@link #signature()}
 * before it gets here.
 */
public interface Step extends AutoCloseable {

    /**
     * Inputs and outputs, in full (with a leading {@code -1} batch dimension when the config sets
     * {@code max_batch_size > 0}); config.yaml's {@code input}/{@code output} entries are checked against it as for
     * an ONNX model.
     */
    ModelSignature signature();

    /**
     * Computes {@code outputNames} (in that order) from the inputs, by name. Bad data (say, bytes that are no
     * image) throws {@link dev.pier.api.InvalidInputException} naming the input and element.
     */
    List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames);

    /** Frees what the step holds; the default holds nothing. */
    @Override
    default void close() {}
}
