package dev.pier.predict;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a TF Serving predict answer into {@link OutputValues}: row format {@code {"predictions": [...]}}
 * (each row a value, or an object of named values) or columnar {@code {"outputs": value | {name: value}}}.
 * Stateless.
 */
final class TfAnswer {
    private TfAnswer() {}

    static List<OutputValues> outputs(JsonNode root) {
        List<OutputValues> out = new ArrayList<>();
        if (root.has("predictions")) {
            JsonNode rows = root.get("predictions");
            if (rows.isArray() && !rows.isEmpty() && rows.get(0).isObject()) {
                rows.get(0).fieldNames().forEachRemaining(name -> {
                    List<JsonNode> column = new ArrayList<>();
                    rows.forEach(r -> column.add(r.get(name)));
                    out.add(values(name, asArray(column)));
                });
            } else {
                out.add(values("predictions", rows));
            }
        } else if (root.has("outputs")) {
            JsonNode o = root.get("outputs");
            if (o.isObject()) {
                o.properties().forEach(e -> out.add(values(e.getKey(), e.getValue())));
            } else {
                out.add(values("outputs", o));
            }
        }
        return out;
    }

    private static JsonNode asArray(List<JsonNode> nodes) {
        var array = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        nodes.forEach(array::add);
        return array;
    }

    private static OutputValues values(String name, JsonNode value) {
        List<Long> dims = new ArrayList<>();
        JsonNode n = value;
        while (n.isArray()) {
            dims.add((long) n.size());
            if (n.isEmpty()) {
                break;
            }
            n = n.get(0);
        }
        List<JsonNode> leaves = new ArrayList<>();
        flatten(value, leaves);
        boolean numeric = leaves.stream().allMatch(JsonNode::isNumber);
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        if (numeric) {
            return new OutputValues(
                    name,
                    "JSON",
                    shape,
                    leaves.stream().mapToDouble(JsonNode::asDouble).toArray(),
                    null);
        }
        return new OutputValues(
                name, "JSON", shape, null, leaves.stream().map(JsonNode::asText).toList());
    }

    private static void flatten(JsonNode n, List<JsonNode> out) {
        if (n.isArray()) {
            n.forEach(c -> flatten(c, out));
        } else {
            out.add(n);
        }
    }
}
