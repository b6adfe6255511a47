package dev.pier.compress.prune;

import dev.pier.api.InvalidInputException;
import dev.pier.compress.Compressed;
import dev.pier.compress.CompressionStrategy;
import dev.pier.compress.GraphRewrite;
import dev.pier.compress.WeightedOp;
import dev.pier.onnx.OnnxModel;
import dev.pier.onnx.OnnxTensors;
import dev.pier.onnx.proto.GraphProto;
import dev.pier.onnx.proto.NodeProto;
import dev.pier.onnx.proto.TensorProto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Structured pruning of MLPs: in every hidden dense layer (MatMul/Gemm whose output reaches the next dense
 * layer through elementwise ops and bias Adds), removes the {@code ceil(sparsity × n)} neurons with the lowest
 * importance {@code s_i = Σ_j w_ij²} over their outgoing weights, deleting the layer's output column, its bias
 * entry and the next layer's input row. The layers physically shrink, so the model is smaller and faster.
 * A neuron whose outgoing weights are all zero has importance 0 and its removal leaves outputs unchanged.
 * Ops between layers that are not elementwise are named in an error. Immutable.
 */
public final class StructuredPruner implements CompressionStrategy {
    /** Ops that act on each neuron separately, so removing a neuron commutes with them. */
    static final Set<String> ELEMENTWISE = Set.of("Relu", "LeakyRelu", "Tanh", "Sigmoid", "Elu", "Selu", "Softplus",
            "Identity", "Dropout", "HardSigmoid", "Gelu");

    private final PruneOptions options;

    public StructuredPruner(PruneOptions options) {
        this.options = options;
    }

    @Override
    public String name() {
        return "prune-structured";
    }

    /** A weight in its current (possibly already shrunk) form. */
    private record Matrix(long[] dims, float[] values) {
    }

    @Override
    public Compressed apply(OnnxModel model) {
        GraphProto g = model.proto().getGraph();
        List<WeightedOp> dense = WeightedOp.find(g).stream().filter(WeightedOp::isDense).toList();
        if (dense.size() < 2) {
            throw WeightedOp.nothingToCompress(g, "structured pruning of " + model.file()
                    + " (needs at least two dense layers)");
        }
        Map<String, WeightedOp> byInput = new HashMap<>();
        dense.forEach(op -> byInput.put(op.node().getInput(0), op));
        Map<String, Matrix> current = new LinkedHashMap<>();
        List<Compressed.LayerChange> changes = new ArrayList<>();
        Map<String, List<Long>> originalDims = new HashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            originalDims.put(t.getName(), t.getDimsList());
        }
        for (int k = 0; k < dense.size(); k++) {
            WeightedOp layer = dense.get(k);
            List<String> biasAdds = new ArrayList<>();
            WeightedOp next = follow(g, layer, byInput, biasAdds, k == dense.size() - 1);
            if (next == null) {
                continue;
            }
            for (WeightedOp op : List.of(layer, next)) {
                if (GraphRewrite.consumers(g, op.weight().getName()) != 1) {
                    throw new InvalidInputException("structured pruning: weight '" + op.weight().getName()
                            + "' is shared by several nodes; removing neurons from one would break the others");
                }
            }
            Matrix w = matrix(model, current, layer.weight().getName());
            Matrix w2 = matrix(model, current, next.weight().getName());
            int n = layer.transposed() ? (int) w.dims()[0] : (int) w.dims()[1];
            int remove = Math.min(n - 1, (int) Math.ceil(options.sparsity() * n));
            int[] keep = keep(w2, next.transposed(), n, remove);
            current.put(layer.weight().getName(), select(w, layer.transposed() ? 0 : 1, keep));
            current.put(next.weight().getName(), select(w2, next.transposed() ? 1 : 0, keep));
            List<String> biases = new ArrayList<>(biasAdds);
            if (layer.bias() != null) {
                biases.add(layer.bias());
            }
            for (String b : biases) {
                Matrix bias = matrix(model, current, b);
                current.put(b, select(bias, bias.dims().length - 1, keep));
            }
            changes.add(new Compressed.LayerChange(layer.label(), layer.weight().getName(),
                    originalDims.get(layer.weight().getName()), List.of(), 0, 0,
                    "kept " + keep.length + " of " + n + " neurons"));
        }
        if (changes.isEmpty()) {
            throw WeightedOp.nothingToCompress(g, "structured pruning of " + model.file() + " (no hidden dense layer)");
        }
        GraphRewrite rw = new GraphRewrite(model.proto()).clearValueInfo();
        current.forEach((name, m) -> rw.initializer(OnnxTensors.floats(name, m.dims(), m.values())));
        List<Compressed.LayerChange> done = new ArrayList<>();
        for (WeightedOp op : dense) {
            Matrix m = current.get(op.weight().getName());
            if (m == null) {
                continue;
            }
            long nz = MagnitudePruner.nonZero(m.values());
            long before = originalDims.get(op.weight().getName()).stream().reduce(1L, Math::multiplyExact);
            String note = changes.stream().filter(c -> c.weight().equals(op.weight().getName())).map(Compressed.LayerChange::note)
                    .findFirst().orElse("inputs shrunk");
            done.add(new Compressed.LayerChange(op.label(), op.weight().getName(), originalDims.get(op.weight().getName()),
                    Arrays.stream(m.dims()).boxed().toList(), nz, 1 - nz / (double) before, note));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("method", "structured");
        details.put("sparsity", options.sparsity());
        details.put("importance", "sum of squared outgoing weights");
        return new Compressed(rw.build(), done, details);
    }

    /** The dense layer fed by {@code layer}'s neurons, or null when {@code layer} is the output layer. */
    private static WeightedOp follow(GraphProto g, WeightedOp layer, Map<String, WeightedOp> byInput, List<String> biasAdds,
                                     boolean last) {
        Set<String> inits = new java.util.HashSet<>();
        g.getInitializerList().forEach(i -> inits.add(i.getName()));
        Set<String> graphOutputs = new java.util.HashSet<>();
        g.getOutputList().forEach(o -> graphOutputs.add(o.getName()));
        String t = layer.node().getOutput(0);
        while (!byInput.containsKey(t)) {
            String tensor = t;
            List<NodeProto> readers = g.getNodeList().stream().filter(n -> n.getInputList().contains(tensor)).toList();
            if (graphOutputs.contains(t) || readers.isEmpty()) {
                return null;
            }
            NodeProto r = readers.get(0);
            boolean biasAdd = r.getOpType().equals("Add") && r.getInputCount() == 2 && inits.contains(other(r, t));
            if (readers.size() != 1 || !ELEMENTWISE.contains(r.getOpType()) && !biasAdd) {
                if (last) {
                    return null;
                }
                throw new InvalidInputException("structured pruning cannot follow the neurons of layer '" + layer.label()
                        + "' through op " + r.getOpType() + " (node '" + r.getName() + "'" + (readers.size() != 1
                        ? ", one of " + readers.size() + " readers" : "") + "); supported between dense layers: "
                        + new java.util.TreeSet<>(ELEMENTWISE) + " and Add of a bias initializer");
            }
            if (biasAdd) {
                biasAdds.add(other(r, t));
            }
            t = r.getOutput(0);
        }
        return byInput.get(t);
    }

    private static String other(NodeProto add, String t) {
        return add.getInput(0).equals(t) ? add.getInput(1) : add.getInput(0);
    }

    /** Indices of the neurons kept: all but the {@code remove} with the smallest outgoing squared weight sum. */
    private static int[] keep(Matrix next, boolean transposed, int n, int remove) {
        double[] score = new double[n];
        long rows = next.dims()[0];
        long cols = next.dims()[1];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                float v = next.values()[(int) (r * cols + c)];
                score[transposed ? c : r] += (double) v * v;
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> score[i]).thenComparingInt(i -> i));
        boolean[] drop = new boolean[n];
        for (int i = 0; i < remove; i++) {
            drop[order[i]] = true;
        }
        return java.util.stream.IntStream.range(0, n).filter(i -> !drop[i]).toArray();
    }

    /** Keeps the given indices along {@code axis} of a rank-1 or rank-2 tensor. */
    private static Matrix select(Matrix m, int axis, int[] keep) {
        long[] dims = m.dims().clone();
        if (dims.length == 1) {
            float[] out = new float[keep.length];
            for (int i = 0; i < keep.length; i++) {
                out[i] = m.values()[keep[i]];
            }
            return new Matrix(new long[] {keep.length}, out);
        }
        int rows = (int) dims[0];
        int cols = (int) dims[1];
        dims[axis] = keep.length;
        float[] out = new float[(int) (dims[0] * dims[1])];
        for (int r = 0; r < (axis == 0 ? keep.length : rows); r++) {
            for (int c = 0; c < (axis == 1 ? keep.length : cols); c++) {
                int sr = axis == 0 ? keep[r] : r;
                int sc = axis == 1 ? keep[c] : c;
                out[(int) (r * dims[1] + c)] = m.values()[sr * cols + sc];
            }
        }
        return new Matrix(dims, out);
    }

    private static Matrix matrix(OnnxModel model, Map<String, Matrix> current, String name) {
        return current.computeIfAbsent(name, n -> new Matrix(
                model.initializer(n).orElseThrow().getDimsList().stream().mapToLong(Long::longValue).toArray(),
                model.initializerFloats(n)));
    }
}
