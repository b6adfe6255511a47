package dev.pier.onnx;

import dev.pier.api.DataType;
import dev.pier.onnx.proto.AttributeProto;
import dev.pier.onnx.proto.GraphProto;
import dev.pier.onnx.proto.ModelProto;
import dev.pier.onnx.proto.NodeProto;
import dev.pier.onnx.proto.OperatorSetIdProto;
import dev.pier.onnx.proto.StringStringEntryProto;
import dev.pier.onnx.proto.TensorProto;
import dev.pier.onnx.proto.TensorShapeProto;
import dev.pier.onnx.proto.TypeProto;
import dev.pier.onnx.proto.ValueInfoProto;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fluent builder of an ONNX model: graph inputs and outputs, initializers, nodes, metadata.
 * Defaults: IR version 8, opset 17 of the default domain {@code ""}, producer {@code "pier"}.
 * Dimensions are given as numbers (fixed) or strings (symbolic, e.g. {@code "batch"}, i.e. dynamic).
 * Not thread-safe; build on one thread. {@link #build()} may be called repeatedly.
 *
 * <pre>{@code
 * OnnxModelBuilder.create("mlp")
 *     .input("x", DataType.FP32, "batch", 4)
 *     .initializer("W", new long[] {4, 2}, weights)
 *     .node("MatMul", List.of("x", "W"), List.of("y"))
 *     .output("y", DataType.FP32, "batch", 2)
 *     .save(path);
 * }</pre>
 */
public final class OnnxModelBuilder {
    public static final long DEFAULT_IR_VERSION = 8;
    public static final long DEFAULT_OPSET = 17;
    public static final String DEFAULT_PRODUCER = "pier";

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Map<String, Long> opsets = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private long irVersion = DEFAULT_IR_VERSION;
    private String producerName = DEFAULT_PRODUCER;
    private String producerVersion = "0.1.0";
    private String docString;
    private int nodeCounter;

    private OnnxModelBuilder(String graphName) {
        graph.setName(graphName);
        opsets.put("", DEFAULT_OPSET);
    }

    public static OnnxModelBuilder create(String graphName) {
        return new OnnxModelBuilder(graphName == null || graphName.isEmpty() ? "graph" : graphName);
    }

    public OnnxModelBuilder irVersion(long version) {
        this.irVersion = version;
        return this;
    }

    /** Sets the opset of the default ONNX domain. */
    public OnnxModelBuilder opset(long version) {
        return opset("", version);
    }

    public OnnxModelBuilder opset(String domain, long version) {
        opsets.put(domain, version);
        return this;
    }

    public OnnxModelBuilder producer(String name, String version) {
        this.producerName = name;
        this.producerVersion = version;
        return this;
    }

    public OnnxModelBuilder docString(String doc) {
        this.docString = doc;
        return this;
    }

    /** Adds a model-level metadata property (shown by ORT as custom metadata). */
    public OnnxModelBuilder metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Declares a graph input; each dim is a Number (fixed size) or a String (symbolic, dynamic). */
    public OnnxModelBuilder input(String name, DataType type, Object... dims) {
        graph.addInput(valueInfo(name, type, dims));
        return this;
    }

    /** Declares a graph output; each dim is a Number (fixed size) or a String (symbolic, dynamic). */
    public OnnxModelBuilder output(String name, DataType type, Object... dims) {
        graph.addOutput(valueInfo(name, type, dims));
        return this;
    }

    /** Declares a graph input from a V2 shape; {@code -1} dims become unnamed dynamic dimensions. */
    public OnnxModelBuilder input(String name, DataType type, dev.pier.api.Shape shape) {
        return input(name, type, boxed(shape));
    }

    /** Declares a graph output from a V2 shape; {@code -1} dims become unnamed dynamic dimensions. */
    public OnnxModelBuilder output(String name, DataType type, dev.pier.api.Shape shape) {
        return output(name, type, boxed(shape));
    }

    private static Object[] boxed(dev.pier.api.Shape shape) {
        return java.util.Arrays.stream(shape.toArray()).boxed().toArray();
    }

    public OnnxModelBuilder initializer(TensorProto tensor) {
        if (!tensor.hasName() || tensor.getName().isEmpty()) {
            throw new IllegalArgumentException("an initializer needs a name");
        }
        graph.addInitializer(tensor);
        return this;
    }

    public OnnxModelBuilder initializer(String name, long[] dims, float... data) {
        return initializer(OnnxTensors.floats(name, dims, data));
    }

    public OnnxModelBuilder initializer(String name, long[] dims, double... data) {
        return initializer(OnnxTensors.doubles(name, dims, data));
    }

    public OnnxModelBuilder initializer(String name, long[] dims, long... data) {
        return initializer(OnnxTensors.longs(name, dims, data));
    }

    public OnnxModelBuilder initializer(String name, long[] dims, int... data) {
        return initializer(OnnxTensors.ints(name, dims, data));
    }

    /** Adds a node with a generated unique name. */
    public OnnxModelBuilder node(
            String opType, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
        return node(opType + "_" + nodeCounter, opType, inputs, outputs, attributes);
    }

    /** Adds a named node of the default domain. Nodes must be added in topological order. */
    public OnnxModelBuilder node(
            String nodeName, String opType, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
        nodeCounter++;
        NodeProto.Builder n = NodeProto.newBuilder()
                .setName(nodeName)
                .setOpType(opType)
                .addAllInput(inputs)
                .addAllOutput(outputs);
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return this;
    }

    /** Adds a prebuilt node (for other domains or overloads). */
    public OnnxModelBuilder node(NodeProto node) {
        nodeCounter++;
        graph.addNode(node);
        return this;
    }

    /**
     * Renames the value {@code from} produced by the last node to {@code to}; false when the last node does
     * not produce {@code from} (then nothing changes). Lets layer-by-layer exporters give the final value
     * the graph output's name without an Identity node.
     */
    boolean renameLastOutput(String from, String to) {
        if (graph.getNodeCount() == 0) {
            return false;
        }
        NodeProto.Builder last = graph.getNodeBuilder(graph.getNodeCount() - 1);
        for (int i = 0; i < last.getOutputCount(); i++) {
            if (last.getOutput(i).equals(from)) {
                last.setOutput(i, to);
                return true;
            }
        }
        return false;
    }

    /**
     * Builds the model after checking that the graph is wired: every node input is a graph input, an
     * initializer or an earlier node's output, and every graph output is produced. Catching this here gives
     * exporters a message naming the value instead of ONNX Runtime's load-time error.
     */
    public ModelProto build() {
        if (graph.getOutputCount() == 0) {
            throw new IllegalStateException("graph '" + graph.getName() + "' declares no outputs");
        }
        checkWiring();
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(irVersion)
                .setProducerName(producerName)
                .setProducerVersion(producerVersion)
                .setGraph(graph.build());
        opsets.forEach((domain, version) -> m.addOpsetImport(
                OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version)));
        metadata.forEach((k, v) ->
                m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        if (docString != null) {
            m.setDocString(docString);
        }
        return m.build();
    }

    private void checkWiring() {
        java.util.Set<String> known = new java.util.HashSet<>();
        graph.getInputList().forEach(v -> known.add(v.getName()));
        graph.getInitializerList().forEach(t -> known.add(t.getName()));
        for (NodeProto n : graph.getNodeList()) {
            for (String in : n.getInputList()) {
                if (!in.isEmpty() && !known.contains(in)) {
                    throw new IllegalStateException("node '" + n.getName() + "' (" + n.getOpType() + ") reads '" + in
                            + "', which is no graph input, initializer or earlier node output");
                }
            }
            known.addAll(n.getOutputList());
        }
        for (ValueInfoProto out : graph.getOutputList()) {
            if (!known.contains(out.getName())) {
                throw new IllegalStateException("graph output '" + out.getName() + "' is produced by no node");
            }
        }
    }

    public byte[] toBytes() {
        return build().toByteArray();
    }

    /** Writes the model atomically (temporary file, then atomic move); returns {@code file}. */
    public Path save(Path file) {
        return OnnxModelFiles.save(build(), file);
    }

    static ValueInfoProto valueInfo(String name, DataType type, Object... dims) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("graph input/output name must not be empty");
        }
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            shape.addDim(dimension(name, d));
        }
        TypeProto.Tensor.Builder tensor = TypeProto.Tensor.newBuilder()
                .setElemType(OnnxTypes.toOnnx(type).getNumber())
                .setShape(shape);
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(tensor))
                .build();
    }

    private static TensorShapeProto.Dimension dimension(String valueName, Object d) {
        return switch (d) {
            case Number n
            when n.longValue() >= 0 ->
                TensorShapeProto.Dimension.newBuilder()
                        .setDimValue(n.longValue())
                        .build();
            case Number n
            when n.longValue() == -1 -> TensorShapeProto.Dimension.newBuilder().build(); // unknown
            case String s
            when !s.isEmpty() ->
                TensorShapeProto.Dimension.newBuilder().setDimParam(s).build();
            default ->
                throw new IllegalArgumentException("dimension of '" + valueName
                        + "' must be a size >= 0, -1 or a symbolic name like \"batch\"; got " + d);
        };
    }
}
