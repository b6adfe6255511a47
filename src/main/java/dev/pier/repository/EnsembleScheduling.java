package dev.pier.repository;

import java.util.List;
import java.util.Map;

/**
 * Triton's {@code ensemble_scheduling} of a {@code platform: ensemble} model: the steps, each a model whose
 * inputs and outputs are wired to the ensemble's tensors by name. Only the shape of the YAML is checked here;
 * whether the steps form a graph that can run (models exist, types agree, no cycle) is checked when the
 * ensemble loads, against the models being served. Immutable.
 *
 * <pre>{@code
 * ensemble_scheduling:
 *   step:
 *     - model_name: decode
 *       model_version: -1            # -1 (default): whatever version the model serves now
 *       input_map: {image: raw}      # step input -> ensemble tensor
 *       output_map: {pixels: x}      # step output -> ensemble tensor
 * }</pre>
 */
public record EnsembleScheduling(List<Step> step) {
    public EnsembleScheduling {
        if (step == null || step.isEmpty()) {
            throw new IllegalArgumentException("'ensemble_scheduling.step' must list at least one step");
        }
        step = List.copyOf(step);
    }

    /**
     * @param modelName    the composing model
     * @param modelVersion a version >= 1, or -1 (default) for the version the model serves at each request
     * @param inputMap     the model's input name -> the ensemble tensor it reads
     * @param outputMap    the model's output name -> the ensemble tensor it writes
     */
    public record Step(
            String modelName, Long modelVersion, Map<String, String> inputMap, Map<String, String> outputMap) {
        public Step {
            if (modelName == null || modelName.isBlank()) {
                throw new IllegalArgumentException("every ensemble step needs 'model_name'");
            }
            modelVersion = modelVersion == null ? -1L : modelVersion;
            if (modelVersion != -1 && modelVersion < 1) {
                throw new IllegalArgumentException("'model_version' of step '" + modelName
                        + "' must be -1 (the served version) or a version >= 1, got " + modelVersion);
            }
            inputMap = inputMap == null ? Map.of() : Map.copyOf(inputMap);
            outputMap = outputMap == null ? Map.of() : Map.copyOf(outputMap);
            if (outputMap.isEmpty()) {
                throw new IllegalArgumentException(
                        "step '" + modelName + "' has an empty 'output_map'; a step must produce a tensor");
            }
        }

        /** True when the step follows the composing model's served version. */
        public boolean followsServedVersion() {
            return modelVersion == -1;
        }
    }
}
