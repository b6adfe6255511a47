package dev.pier.repository;

import dev.pier.api.Shape;
import java.util.List;
import java.util.Optional;

/**
 * One {@code input} or {@code output} entry of a model's {@code config.yaml}, with Triton's field names.
 * Every field but {@code name} is optional: what is given overrides (and is checked against) what the model
 * file declares. With {@code max_batch_size > 0}, {@code dims} leave out the batch dimension, as in Triton.
 *
 * @param name          tensor name in the model
 * @param dataType      Triton type, or null to take the model's
 * @param dims          dimensions ({@code -1} = any size), or null to take the model's
 * @param labelFilename outputs only: a file in the model folder with one class label per line
 */
public record TensorConfig(String name, TritonDataType dataType, List<Long> dims, String labelFilename) {
    public TensorConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("'name' is required for every input and output");
        }
        if (dims != null) {
            for (Long d : dims) {
                if (d == null || d < -1) {
                    throw new IllegalArgumentException(
                            "'dims' of '" + name + "' must hold integers >= -1 (-1 = any size), got " + dims);
                }
            }
            dims = List.copyOf(dims);
        }
        if (labelFilename != null && !ModelNames.isValid(labelFilename)) {
            throw new IllegalArgumentException("'label_filename' of '" + name
                    + "' must be a plain file name in the model folder, got '" + labelFilename + "'");
        }
    }

    public Optional<Shape> shape() {
        return dims == null
                ? Optional.empty()
                : Optional.of(Shape.of(dims.stream().mapToLong(Long::longValue).toArray()));
    }

    public Optional<String> labels() {
        return Optional.ofNullable(labelFilename);
    }
}
