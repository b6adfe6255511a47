package dev.pier.compress;

import dev.pier.onnx.proto.AttributeProto;
import dev.pier.onnx.proto.GraphProto;
import dev.pier.onnx.proto.ModelProto;
import dev.pier.onnx.proto.NodeProto;
import dev.pier.onnx.proto.TensorProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects edits to one graph (nodes replaced by node sequences, nodes inserted after others, initializers
 * replaced or added) and applies them in one pass, so node indexes stay valid while edits are planned.
 * Single-use and not thread-safe.
 */
public final class GraphRewrite {
    private final ModelProto model;
    private final Map<Integer, List<NodeProto>> replacements = new HashMap<>();
    private final List<NodeProto> prepended = new ArrayList<>();
    private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
    private final java.util.Set<String> removed = new java.util.HashSet<>();
    private boolean clearValueInfo;

    public GraphRewrite(ModelProto model) {
        this.model = model;
        for (TensorProto t : model.getGraph().getInitializerList()) {
            initializers.put(t.getName(), t);
        }
    }

    /** Replaces node {@code index} by {@code nodes} (in order). */
    public GraphRewrite replace(int index, List<NodeProto> nodes) {
        replacements.put(index, List.copyOf(nodes));
        return this;
    }

    /** Nodes placed before all others (for instance Q/DQ of a graph input). */
    public GraphRewrite prepend(List<NodeProto> nodes) {
        prepended.addAll(nodes);
        return this;
    }

    /** Adds or replaces an initializer, keeping the original's position when replacing. */
    public GraphRewrite initializer(TensorProto t) {
        initializers.put(t.getName(), t);
        removed.remove(t.getName());
        return this;
    }

    public GraphRewrite removeInitializer(String name) {
        removed.add(name);
        return this;
    }

    /** Drops intermediate shape annotations (they go stale when layers change shape; ONNX Runtime infers them). */
    public GraphRewrite clearValueInfo() {
        clearValueInfo = true;
        return this;
    }

    public ModelProto build() {
        GraphProto g = model.getGraph();
        GraphProto.Builder b = g.toBuilder().clearNode().clearInitializer();
        b.addAllNode(prepended);
        for (int i = 0; i < g.getNodeCount(); i++) {
            b.addAllNode(replacements.getOrDefault(i, List.of(g.getNode(i))));
        }
        initializers.forEach((name, t) -> {
            if (!removed.contains(name)) {
                b.addInitializer(t);
            }
        });
        if (clearValueInfo) {
            b.clearValueInfo();
        }
        return model.toBuilder().setGraph(b).build();
    }

    /** A node with a name, inputs, outputs and attributes. */
    public static NodeProto node(
            String name, String op, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
        return NodeProto.newBuilder()
                .setName(name)
                .setOpType(op)
                .addAllInput(inputs)
                .addAllOutput(outputs)
                .addAllAttribute(List.of(attrs))
                .build();
    }

    /** How many nodes read {@code tensor}. */
    public static int consumers(GraphProto g, String tensor) {
        int n = 0;
        for (NodeProto node : g.getNodeList()) {
            for (String in : node.getInputList()) {
                if (in.equals(tensor)) {
                    n++;
                }
            }
        }
        return n;
    }
}
