package dev.pier.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Renders an {@link OnnxModelSummary} for people (aligned text) or tools (JSON, stable field names:
 * {@code file, file_size_bytes, ir_version, producer_name, producer_version, graph_name, opset_imports,
 * inputs[{name, datatype, onnx_type, shape, dims}], outputs, initializer_count, parameter_count,
 * non_zero_parameter_count, node_count, op_histogram, metadata}). Stateless and thread-safe.
 */
public final class OnnxSummaryFormat {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private OnnxSummaryFormat() {}

    public static String text(OnnxModelSummary s) {
        StringBuilder b = new StringBuilder();
        line(b, "Model", s.file() + " (" + humanBytes(s.fileSizeBytes()) + ")");
        line(b, "Producer", (s.producerName() + " " + s.producerVersion()).trim());
        line(b, "IR version", Long.toString(s.irVersion()));
        line(
                b,
                "Opsets",
                s.opsetImports().entrySet().stream()
                        .map(e -> (e.getKey().isEmpty() ? "ai.onnx" : e.getKey()) + " " + e.getValue())
                        .collect(Collectors.joining(", ")));
        if (!s.graphName().isEmpty()) {
            line(b, "Graph", s.graphName());
        }
        int width = java.util.stream.Stream.concat(s.inputs().stream(), s.outputs().stream())
                .mapToInt(v -> v.name().length())
                .max()
                .orElse(1);
        b.append("Inputs\n");
        values(b, s.inputs(), width);
        b.append("Outputs\n");
        values(b, s.outputs(), width);
        double pct = s.parameterCount() == 0 ? 100 : 100.0 * s.nonZeroParameterCount() / s.parameterCount();
        line(
                b,
                "Parameters",
                String.format(
                        Locale.ROOT,
                        "%,d (%,d non-zero, %.1f%%) in %d initializers",
                        s.parameterCount(),
                        s.nonZeroParameterCount(),
                        pct,
                        s.initializerCount()));
        line(
                b,
                "Operators",
                s.nodeCount() + " nodes"
                        + (s.opHistogram().isEmpty()
                                ? ""
                                : ": "
                                        + s.opHistogram().entrySet().stream()
                                                .map(e -> e.getKey() + " " + e.getValue())
                                                .collect(Collectors.joining(", "))));
        s.metadata().forEach((k, v) -> line(b, "Metadata", k + " = " + v));
        return b.toString();
    }

    public static String json(OnnxModelSummary s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("file", s.file());
        root.put("file_size_bytes", s.fileSizeBytes());
        root.put("ir_version", s.irVersion());
        root.put("producer_name", s.producerName());
        root.put("producer_version", s.producerVersion());
        root.put("graph_name", s.graphName());
        ObjectNode opsets = root.putObject("opset_imports");
        s.opsetImports().forEach((k, v) -> opsets.put(k.isEmpty() ? "ai.onnx" : k, v));
        values(root.putArray("inputs"), s.inputs());
        values(root.putArray("outputs"), s.outputs());
        root.put("initializer_count", s.initializerCount());
        root.put("parameter_count", s.parameterCount());
        root.put("non_zero_parameter_count", s.nonZeroParameterCount());
        root.put("node_count", s.nodeCount());
        ObjectNode ops = root.putObject("op_histogram");
        s.opHistogram().forEach(ops::put);
        ObjectNode meta = root.putObject("metadata");
        s.metadata().forEach(meta::put);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    private static void values(ArrayNode array, List<OnnxValueInfo> values) {
        for (OnnxValueInfo v : values) {
            ObjectNode o = array.addObject();
            o.put("name", v.name());
            o.put("datatype", v.datatype() == null ? null : v.datatype().wireName());
            o.put("onnx_type", v.elementType());
            if (v.shape() == null) {
                o.putNull("shape");
                o.putNull("dims");
            } else {
                ArrayNode shape = o.putArray("shape");
                for (long d : v.shape().toArray()) {
                    shape.add(d);
                }
                ArrayNode dims = o.putArray("dims");
                v.dims().forEach(dims::add);
            }
        }
    }

    private static void values(StringBuilder b, List<OnnxValueInfo> values, int width) {
        for (OnnxValueInfo v : values) {
            String type = v.datatype() != null ? v.datatype().wireName() : v.elementType();
            String shape = v.dims() == null ? "(shape unknown)" : "[" + String.join(", ", v.dims()) + "]";
            b.append(String.format(Locale.ROOT, "  %-" + Math.max(width, 1) + "s  %-5s %s%n", v.name(), type, shape));
        }
        if (values.isEmpty()) {
            b.append("  (none)\n");
        }
    }

    private static void line(StringBuilder b, String label, String value) {
        b.append(String.format(Locale.ROOT, "%-11s%s%n", label, value));
    }

    static String humanBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
