package dev.pier.api.step;

import dev.pier.api.TensorSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link StepProvider} knows about the model version it makes a step for, from the model's
 * {@code config.yaml}.
 *
 * @param model        the model's name
 * @param version      the version being loaded
 * @param modelDir     the model's folder (files the parameters name are resolved here)
 * @param maxBatchSize the config's {@code max_batch_size}: > 0 means the first dimension is the batch
 * @param inputs       the config's {@code input} entries, with the batch dimension already prepended
 *                     ({@code -1}) when {@code maxBatchSize > 0}; a null datatype or shape means "not given"
 * @param outputs      the config's {@code output} entries, likewise
 * @param parameters   the config's {@code parameters} ({@code key: {string_value: ...}}), as strings
 * @param labels       each output's labels, when it names a {@code label_filename}
 */
public record StepContext(
        String model,
        long version,
        Path modelDir,
        int maxBatchSize,
        List<TensorSpec> inputs,
        List<TensorSpec> outputs,
        Map<String, String> parameters,
        Map<String, List<String>> labels) {
    public StepContext {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        parameters = Map.copyOf(parameters);
        labels = Map.copyOf(labels);
    }

    /** A parameter's value, if the config sets it. */
    public Optional<String> parameter(String key) {
        return Optional.ofNullable(parameters.get(key)).map(String::strip);
    }

    /** A parameter as an integer, or {@code fallback}; a value that is no integer is an error naming it. */
    public int intParameter(String key, int fallback) {
        Optional<String> v = parameter(key);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.get());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "parameters." + key + " of model '" + model + "' must be an integer, got '" + v.get() + "'");
        }
    }

    /** A parameter as a number, or {@code fallback}; a value that is no number is an error naming it. */
    public double doubleParameter(String key, double fallback) {
        Optional<String> v = parameter(key);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.get());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "parameters." + key + " of model '" + model + "' must be a number, got '" + v.get() + "'");
        }
    }

    /** The name of the {@code index}-th configured input, or {@code fallback} when the config lists fewer. */
    public String inputName(int index, String fallback) {
        return index < inputs.size() ? inputs.get(index).name() : fallback;
    }

    /** The name of the {@code index}-th configured output, or {@code fallback} when the config lists fewer. */
    public String outputName(int index, String fallback) {
        return index < outputs.size() ? outputs.get(index).name() : fallback;
    }
}
