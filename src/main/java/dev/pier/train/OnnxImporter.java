package dev.pier.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import dev.pier.onnx.OnnxModelReader;
import dev.pier.onnx.proto.GraphProto;
import dev.pier.onnx.proto.ModelProto;
import dev.pier.onnx.proto.NodeProto;
import dev.pier.onnx.proto.TensorProto;
import dev.pier.onnx.proto.TensorShapeProto;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a sequential ONNX classifier back into a trainable {@link DjlNetwork}, for pruning with retraining
 * and distillation. Supported nodes, each consuming the previous one's output: Gemm (transA 0, alpha and
 * beta 1), MatMul optionally followed by Add of a constant, Conv (2-D, square kernel, one group), MaxPool,
 * AveragePool, BatchNormalization, Relu, Tanh, Sigmoid, Softmax, Flatten (axis 1), Reshape to
 * {@code [batch, features]}, Dropout and Identity. A final Softmax is dropped (the network trains on
 * logits; {@link OnnxExporter} adds it back). Anything else fails naming the op and node. Stateless.
 */
public final class OnnxImporter {
    static final Set<String> SUPPORTED = Set.of(
            "Gemm",
            "MatMul",
            "Add",
            "Conv",
            "MaxPool",
            "AveragePool",
            "BatchNormalization",
            "Relu",
            "Tanh",
            "Sigmoid",
            "Softmax",
            "Flatten",
            "Reshape",
            "Dropout",
            "Identity");

    private OnnxImporter() {}

    public static DjlNetwork load(Path file) throws IOException {
        ModelProto model = OnnxModelReader.parse(Files.readAllBytes(file), file.toString());
        return load(model, file.getFileName().toString());
    }

    public static DjlNetwork load(ModelProto model, String name) {
        GraphProto g = model.getGraph();
        Map<String, TensorProto> init = new HashMap<>();
        g.getInitializerList().forEach(t -> init.put(t.getName(), t));
        var input = g.getInputList().stream()
                .filter(v -> !init.containsKey(v.getName()))
                .findFirst()
                .orElseThrow(() -> new InvalidInputException(name + ": the graph has no non-constant input"));
        Shape example = exampleShape(
                name, input.getName(), input.getType().getTensorType().getShape());

        List<LayerSpec> layers = new ArrayList<>();
        List<float[][]> params = new ArrayList<>(); // per layer: the arrays in DJL parameter order, or null
        String current = input.getName();
        List<NodeProto> nodes = g.getNodeList();
        dev.pier.data.FeatureScaling scaling = inputScaling(name, nodes, init, current);
        if (scaling != null) {
            current = nodes.get(1).getOutput(0);
        }
        for (int i = scaling != null ? 2 : 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            String where = "node '" + n.getName() + "' (" + n.getOpType() + ")";
            if (!SUPPORTED.contains(n.getOpType())) {
                throw new InvalidInputException(
                        name + ": unsupported ONNX op '" + n.getOpType() + "' in node '" + n.getName()
                                + "'; supported: " + SUPPORTED.stream().sorted().toList());
            }
            if (n.getInputCount() == 0 || !n.getInput(0).equals(current)) {
                throw new InvalidInputException(name + ": " + where + " does not consume the previous node's output '"
                        + current + "'; only sequential graphs can be imported");
            }
            Attrs a = new Attrs(n, name);
            switch (n.getOpType()) {
                case "Gemm" -> {
                    if (a.i("transA", 0) != 0 || a.f("alpha", 1f) != 1f || a.f("beta", 1f) != 1f) {
                        throw new InvalidInputException(
                                name + ": " + where + " has transA/alpha/beta other than 0/1/1");
                    }
                    float[][] wb = dense(
                            name,
                            where,
                            constant(name, where, init, n, 1),
                            a.i("transB", 0) == 1,
                            n.getInputCount() > 2 ? constant(name, where, init, n, 2) : null);
                    layers.add(new LayerSpec.Dense(wb[1].length));
                    params.add(wb);
                }
                case "MatMul" -> {
                    TensorProto w = constant(name, where, init, n, 1);
                    TensorProto bias = null;
                    if (i + 1 < nodes.size()
                            && nodes.get(i + 1).getOpType().equals("Add")
                            && nodes.get(i + 1).getInput(0).equals(n.getOutput(0))) {
                        NodeProto add = nodes.get(++i);
                        bias = constant(name, "node '" + add.getName() + "' (Add)", init, add, 1);
                        n = add;
                    }
                    float[][] wb = dense(name, where, w, false, bias);
                    layers.add(new LayerSpec.Dense(wb[1].length));
                    params.add(wb);
                }
                case "Conv" -> {
                    TensorProto w = constant(name, where, init, n, 1);
                    if (w.getDimsCount() != 4
                            || w.getDims(2) != w.getDims(3)
                            || a.i("group", 1) != 1
                            || !a.uniform("dilations", 1)
                            || !a.uniformOrMissing("strides")
                            || !a.uniformOrMissing("pads")) {
                        throw new InvalidInputException(
                                name + ": " + where + " must be a 2-D convolution with a square kernel, "
                                        + "one group, no dilation and equal strides and pads on all sides");
                    }
                    int filters = (int) w.getDims(0);
                    float[] bias = n.getInputCount() > 2
                            ? OnnxFloats.of(constant(name, where, init, n, 2), name)
                            : new float[filters];
                    layers.add(new LayerSpec.Conv2d(
                            filters, (int) w.getDims(2), a.first("strides", 1), a.first("pads", 0)));
                    params.add(new float[][] {OnnxFloats.of(w, name), bias});
                }
                case "MaxPool", "AveragePool" -> {
                    int[] k = a.ints("kernel_shape");
                    boolean padded = a.first("pads", 0) > 0;
                    if (k.length != 2
                            || k[0] != k[1]
                            || !a.uniformOrMissing("strides")
                            || !a.uniformOrMissing("pads")
                            || a.i("ceil_mode", 0) != 0
                            || (padded && n.getOpType().equals("AveragePool") && a.i("count_include_pad", 0) != 1)) {
                        // DJL's PyTorch engine always counts padded zeros in an average, so only that variant maps.
                        throw new InvalidInputException(
                                name + ": " + where + " must pool a square window with equal strides "
                                        + "and pads, ceil_mode 0 and, for a padded AveragePool, count_include_pad 1");
                    }
                    layers.add(new LayerSpec.Pool(
                            n.getOpType().equals("MaxPool") ? LayerSpec.PoolKind.MAX : LayerSpec.PoolKind.AVG,
                            k[0],
                            a.first("strides", 1),
                            a.first("pads", 0)));
                    params.add(null);
                }
                case "BatchNormalization" -> {
                    float[][] p = new float[4][];
                    for (int j = 0; j < 4; j++) {
                        p[j] = OnnxFloats.of(constant(name, where, init, n, j + 1), name);
                    }
                    layers.add(new LayerSpec.BatchNorm(
                            a.f("epsilon", 1e-5f), a.f("momentum", LayerSpec.BatchNorm.DEFAULT_MOMENTUM)));
                    params.add(p);
                }
                case "Relu", "Tanh", "Sigmoid", "Softmax" -> {
                    boolean last = i == nodes.size() - 1;
                    if (!(last && n.getOpType().equals("Softmax"))) {
                        layers.add(new LayerSpec.Activation(
                                LayerSpec.ActivationKind.valueOf(n.getOpType().toUpperCase())));
                        params.add(null);
                    }
                }
                case "Flatten" -> {
                    if (a.i("axis", 1) != 1) {
                        throw new InvalidInputException(name + ": " + where + " flattens at axis " + a.i("axis", 1)
                                + "; only axis 1 is supported");
                    }
                    layers.add(new LayerSpec.Flatten());
                    params.add(null);
                }
                case "Reshape" -> {
                    long[] target = OnnxFloats.longs(constant(name, where, init, n, 1), name);
                    if (target.length != 2
                            || !(target[0] == 0 || target[0] == -1)
                            || (target[0] == -1 && target[1] == -1)) {
                        throw new InvalidInputException(
                                name + ": " + where + " reshapes to " + java.util.Arrays.toString(target)
                                        + "; only a reshape to [batch, features] (flatten) is supported");
                    }
                    layers.add(new LayerSpec.Flatten());
                    params.add(null);
                }
                case "Add" ->
                    throw new InvalidInputException(name + ": " + where + " is an Add that does not follow a MatMul; "
                            + "only MatMul+Add (a dense layer) is supported");
                default -> { // Dropout, Identity: nothing at inference
                }
            }
            current = n.getOutput(0);
        }
        Architecture arch = new Architecture(
                model.getMetadataPropsList().stream()
                        .filter(p -> p.getKey().equals("pier.architecture"))
                        .map(p -> p.getValue())
                        .findFirst()
                        .orElse(name),
                layers);
        DjlNetwork net = DjlNetwork.create(arch, example, 0);
        try {
            net.inputScaling(scaling);
            fill(net, params, name);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
        return net;
    }

    /**
     * The per-feature scaling {@link OnnxExporter} puts first ({@code Sub} then {@code Div} of constants of one value
     * per feature), so that a re-exported network keeps it; null when the graph does not start that way.
     */
    private static dev.pier.data.FeatureScaling inputScaling(
            String name, List<NodeProto> nodes, Map<String, TensorProto> init, String input) {
        if (nodes.size() < 2
                || !nodes.get(0).getOpType().equals("Sub")
                || !nodes.get(1).getOpType().equals("Div")
                || !nodes.get(0).getInput(0).equals(input)
                || !nodes.get(1).getInput(0).equals(nodes.get(0).getOutput(0))) {
            return null;
        }
        float[] shift = OnnxFloats.of(
                constant(name, "node '" + nodes.get(0).getName() + "' (Sub)", init, nodes.get(0), 1), name);
        float[] scale = OnnxFloats.of(
                constant(name, "node '" + nodes.get(1).getName() + "' (Div)", init, nodes.get(1), 1), name);
        try {
            return new dev.pier.data.FeatureScaling(shift, scale);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    name + ": the leading Sub/Div input scaling is not per-feature: " + e.getMessage());
        }
    }

    /** Dense weights in DJL's [out, in] layout plus bias (zeros when absent). */
    private static float[][] dense(String name, String where, TensorProto w, boolean transposed, TensorProto bias) {
        if (w.getDimsCount() != 2) {
            throw new InvalidInputException(name + ": " + where + " weight must be 2-D, has dims " + w.getDimsList());
        }
        float[] v = OnnxFloats.of(w, name);
        int rows = (int) w.getDims(0);
        int cols = (int) w.getDims(1);
        float[] outIn;
        int out;
        if (transposed) {
            outIn = v;
            out = rows;
        } else {
            out = cols;
            outIn = new float[v.length];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    outIn[c * rows + r] = v[r * cols + c];
                }
            }
        }
        float[] b = bias == null ? new float[out] : OnnxFloats.of(bias, name);
        if (b.length != out) {
            throw new InvalidInputException(
                    name + ": " + where + " bias has " + b.length + " values for " + out + " outputs");
        }
        return new float[][] {outIn, b};
    }

    private static void fill(DjlNetwork net, List<float[][]> params, String name) {
        List<Block> blocks = net.block().getChildren().values();
        for (int i = 0; i < blocks.size(); i++) {
            float[][] p = params.get(i);
            if (p == null) {
                continue;
            }
            String[] names = net.architecture().layers().get(i) instanceof LayerSpec.BatchNorm
                    ? new String[] {"gamma", "beta", "runningMean", "runningVar"}
                    : new String[] {"weight", "bias"};
            for (int j = 0; j < names.length; j++) {
                Parameter param = OnnxExporter.param(blocks.get(i), names[j]);
                if (param.getArray().size() != p[j].length) {
                    throw new InvalidInputException(name + ": layer " + (i + 1) + " parameter " + names[j] + " has "
                            + p[j].length + " values but the network needs shape " + param.getShape());
                }
                param.getArray().set(FloatBuffer.wrap(p[j]));
            }
        }
    }

    private static TensorProto constant(
            String name, String where, Map<String, TensorProto> init, NodeProto n, int index) {
        if (n.getInputCount() <= index || !init.containsKey(n.getInput(index))) {
            throw new InvalidInputException(
                    name + ": " + where + " input " + index + " must be an initializer (constant)");
        }
        return init.get(n.getInput(index));
    }

    private static Shape exampleShape(String name, String input, TensorShapeProto shape) {
        if (shape.getDimCount() < 2) {
            throw new InvalidInputException(
                    name + ": input '" + input + "' must be [batch, ...], has rank " + shape.getDimCount());
        }
        long[] dims = new long[shape.getDimCount() - 1];
        for (int i = 1; i < shape.getDimCount(); i++) {
            if (!shape.getDim(i).hasDimValue()) {
                throw new InvalidInputException(
                        name + ": input '" + input + "' dimension " + i + " is dynamic; only the batch may be");
            }
            dims[i - 1] = shape.getDim(i).getDimValue();
        }
        return Shape.of(dims);
    }
}
