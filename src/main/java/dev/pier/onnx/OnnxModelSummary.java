package dev.pier.onnx;

import java.util.List;
import java.util.Map;

/**
 * What an ONNX file holds, as shown by {@code pier inspect}. Immutable.
 *
 * @param file                   the model file as given
 * @param fileSizeBytes          size of the file (external data not included)
 * @param opsetImports           domain ({@code ""} = default ONNX domain) to opset version
 * @param parameterCount         sum of the element counts of all initializers
 * @param nonZeroParameterCount  how many of those elements are not zero (after sparsifying compression, fewer)
 * @param opHistogram            op type (prefixed with its domain when not the default) to node count,
 *                               most frequent first
 */
public record OnnxModelSummary(
        String file,
        long fileSizeBytes,
        long irVersion,
        String producerName,
        String producerVersion,
        String graphName,
        Map<String, Long> opsetImports,
        List<OnnxValueInfo> inputs,
        List<OnnxValueInfo> outputs,
        int initializerCount,
        long parameterCount,
        long nonZeroParameterCount,
        int nodeCount,
        Map<String, Integer> opHistogram,
        Map<String, String> metadata) {

    public OnnxModelSummary {
        opsetImports = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(opsetImports));
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        opHistogram = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(opHistogram));
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    /** The opset of the default ONNX domain, or 0 when the model imports none. */
    public long defaultOpset() {
        Long v = opsetImports.get("");
        if (v == null) {
            v = opsetImports.get("ai.onnx");
        }
        return v == null ? 0 : v;
    }
}
