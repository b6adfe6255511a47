package dev.pier.api;

import java.util.List;
import java.util.Map;

/**
 * What a client can learn about a model: its name, the versions that can serve, the platform string
 * (V2 uses {@code "onnxruntime_onnx"} as Triton does), the signature of the version described, and
 * free-form properties (labels file, config parameters).
 */
public record ModelMetadata(
        String name,
        long version,
        List<Long> versions,
        String platform,
        ModelSignature signature,
        Map<String, String> properties) {
    public static final String ONNX_PLATFORM = "onnxruntime_onnx";

    public ModelMetadata {
        versions = List.copyOf(versions);
        properties = Map.copyOf(properties);
    }
}
