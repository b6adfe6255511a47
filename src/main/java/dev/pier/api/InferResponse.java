package dev.pier.api;

import java.util.List;
import java.util.Map;

/** The answer to one {@link InferRequest}: the version that actually served it and the output tensors. */
public record InferResponse(
        String id, String model, long version, List<Tensor> outputs, Map<String, Object> parameters) {
    public InferResponse {
        outputs = List.copyOf(outputs);
        parameters = Map.copyOf(parameters);
    }
}
