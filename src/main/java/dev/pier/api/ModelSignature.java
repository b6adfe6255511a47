package dev.pier.api;

import java.util.List;
import java.util.Optional;

/** The inputs and outputs a model declares, in the model's order. */
public record ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
    public ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public Optional<TensorSpec> input(String name) {
        return named(inputs, name);
    }

    public Optional<TensorSpec> output(String name) {
        return named(outputs, name);
    }

    // a loop, not a stream: the serving path asks for every request's inputs
    private static Optional<TensorSpec> named(List<TensorSpec> specs, String name) {
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).name().equals(name)) {
                return Optional.of(specs.get(i));
            }
        }
        return Optional.empty();
    }
}
