package dev.pier.api;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One inference request, whichever protocol it came from.
 *
 * @param id            client-chosen request id, echoed in the response; may be null
 * @param model         model name
 * @param version       the version asked for, or empty for the manager's choice (the latest ready one)
 * @param inputs        input tensors, by name
 * @param outputs       outputs asked for, in order; empty means all of the model's outputs
 * @param parameters    protocol parameters that travel through (strings, numbers, booleans); inside the server
 *                      a traced request also carries its trace id and the slot its timings go to
 */
public record InferRequest(
        String id,
        String model,
        OptionalLong version,
        List<Tensor> inputs,
        List<RequestedOutput> outputs,
        Map<String, Object> parameters) {
    public InferRequest {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        parameters = Map.copyOf(parameters);
    }

    /** This request under another id (monitoring gives every request one when the client sent none). */
    public InferRequest withId(String newId) {
        return new InferRequest(newId, model, version, inputs, outputs, parameters);
    }

    /** This request for another version (the resolved one). */
    public InferRequest withVersion(OptionalLong newVersion) {
        return new InferRequest(id, model, newVersion, inputs, outputs, parameters);
    }

    /** An output the client asked for, with its per-output parameters (for instance {@code binary_data}). */
    public record RequestedOutput(String name, Map<String, Object> parameters) {
        public RequestedOutput {
            parameters = Map.copyOf(parameters);
        }
    }
}
