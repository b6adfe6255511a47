package dev.pier.compress.prune;

import dev.pier.api.InvalidInputException;
import dev.pier.compress.Compressed;
import dev.pier.compress.CompressionStrategy;
import dev.pier.compress.GraphRewrite;
import dev.pier.compress.WeightedOp;
import dev.pier.onnx.OnnxModel;
import dev.pier.onnx.OnnxTensors;
import dev.pier.onnx.proto.GraphProto;
import dev.pier.onnx.proto.TensorProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Structured pruning: removes whole hidden neurons of dense layers and whole output channels of Conv layers,
 * so the layers physically shrink and the model gets smaller and faster.
 * <ul>
 * <li>Dense (MatMul/Gemm) layer whose neurons reach the next dense layer: the {@code ceil(sparsity × n)}
 * neurons with the lowest {@code s_i = Σ_j w_ij²} over their outgoing weights go, with their weight column,
 * bias entry and the next layer's input row.</li>
 * <li>Conv layer whose channels reach the next Conv, or a dense layer after Flatten: the channels with the
 * lowest {@code s_i = Σ_j w_ij²} over the filter's own weights go, with their bias, the entries of any
 * BatchNormalization or bias Add in between, and the next layer's input channels (for a dense layer after
 * Flatten, the block of {@code H·W} rows each channel flattens to).</li>
 * </ul>
 * A neuron or channel whose output is always zero (zero weights and bias, and nothing downstream that shifts
 * zero) has importance 0 and its removal leaves outputs unchanged. The path between two layers may hold only
 * elementwise ops, bias Adds, BatchNormalization, channel-wise pooling and (after a Conv) Flatten; anything
 * else, grouped convolutions and shared weights are named in an error and nothing is written. Immutable.
 */
public final class StructuredPruner implements CompressionStrategy {
    private final PruneOptions options;

    public StructuredPruner(PruneOptions options) {
        this.options = options;
    }

    @Override
    public String name() {
        return "prune-structured";
    }

    @Override
    public Compressed apply(OnnxModel model) {
        GraphProto g = model.proto().getGraph();
        List<WeightedOp> layers = WeightedOp.find(g);
        if (layers.size() < 2) {
            throw WeightedOp.nothingToCompress(
                    g, "structured pruning of " + model.file() + " (needs at least two Conv or dense layers)");
        }
        Map<String, WeightedOp> byInput = new HashMap<>();
        layers.forEach(op -> byInput.put(op.node().getInput(0), op));
        Map<String, PruneTensor> current = new LinkedHashMap<>();
        Map<String, String> notes = new HashMap<>();
        Map<String, List<Long>> originalDims = new HashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            originalDims.put(t.getName(), t.getDimsList());
        }
        for (int k = 0; k < layers.size(); k++) {
            WeightedOp layer = layers.get(k);
            LayerPath path = LayerPath.follow(g, layer, byInput, k == layers.size() - 1);
            if (path == null) {
                continue;
            }
            WeightedOp next = path.next();
            for (WeightedOp op : List.of(layer, next)) {
                if (GraphRewrite.consumers(g, op.weight().getName()) != 1) {
                    throw new InvalidInputException(
                            "structured pruning: weight '" + op.weight().getName()
                                    + "' is shared by several nodes; removing neurons from one would break the others");
                }
                if (!op.isDense() && WeightedOp.intAttr(op.node(), "group", 1) != 1) {
                    throw new InvalidInputException(
                            "structured pruning does not support grouped Conv (node '" + op.label() + "', group "
                                    + WeightedOp.intAttr(op.node(), "group", 1) + "); expected group=1");
                }
            }
            PruneTensor w = tensor(model, current, layer.weight().getName());
            PruneTensor w2 = tensor(model, current, next.weight().getName());
            int outAxis = layer.isDense() ? (layer.transposed() ? 0 : 1) : 0;
            int n = (int) w.dims()[outAxis];
            int remove = Math.min(n - 1, (int) Math.ceil(options.sparsity() * n));
            double[] score = layer.isDense()
                    ? w2.sumSquares(next.transposed() ? 1 : 0, n, 1) // outgoing weights of each neuron
                    : w.sumSquares(0, n, 1); // the filter's own weights
            int[] keep = keep(score, remove);
            current.put(layer.weight().getName(), w.select(outAxis, keep, 1));
            if (next.isDense()) {
                int inAxis = next.transposed() ? 1 : 0;
                long rows = w2.dims()[inAxis];
                if (rows % n != 0) {
                    throw new InvalidInputException(
                            "structured pruning: layer '" + next.label() + "' reads " + rows + " features from the " + n
                                    + " channels of '" + layer.label() + "'; expected a multiple of " + n);
                }
                current.put(next.weight().getName(), w2.select(inAxis, keep, (int) (rows / n)));
            } else {
                current.put(next.weight().getName(), w2.select(1, keep, 1));
            }
            List<String> perChannel = new ArrayList<>(path.channelParams());
            if (layer.bias() != null) {
                perChannel.add(layer.bias());
            }
            for (String b : perChannel) {
                PruneTensor t = tensor(model, current, b);
                int axis = channelAxis(t, layer.isDense(), n, b);
                current.put(b, t.select(axis, keep, 1));
            }
            notes.put(
                    layer.weight().getName(),
                    "kept " + keep.length + " of " + n + (layer.isDense() ? " neurons" : " channels"));
        }
        if (notes.isEmpty()) {
            throw WeightedOp.nothingToCompress(
                    g, "structured pruning of " + model.file() + " (no hidden layer feeds another)");
        }
        GraphRewrite rw = new GraphRewrite(model.proto()).clearValueInfo();
        current.forEach((name, t) -> rw.initializer(OnnxTensors.floats(name, t.dims(), t.values())));
        List<Compressed.LayerChange> done = new ArrayList<>();
        for (WeightedOp op : layers) {
            PruneTensor t = current.get(op.weight().getName());
            if (t == null) {
                continue;
            }
            long nz = MagnitudePruner.nonZero(t.values());
            List<Long> dims = originalDims.get(op.weight().getName());
            long before = dims.stream().reduce(1L, Math::multiplyExact);
            done.add(new Compressed.LayerChange(
                    op.label(),
                    op.weight().getName(),
                    dims,
                    Arrays.stream(t.dims()).boxed().toList(),
                    nz,
                    1 - nz / (double) before,
                    notes.getOrDefault(op.weight().getName(), "inputs shrunk")));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("method", "structured");
        details.put("sparsity", options.sparsity());
        details.put("importance", "dense: sum of squared outgoing weights; conv: sum of squared filter weights");
        return new Compressed(rw.build(), done, details);
    }

    /** The axis of a per-channel parameter (bias, BatchNorm, bias Add) that indexes the {@code n} channels. */
    private static int channelAxis(PruneTensor t, boolean dense, int n, String name) {
        int rank = t.dims().length;
        // dense features are the last axis; conv channels are axis 1 of NCHW, i.e. third from the right
        int axis = dense || rank == 1 ? rank - 1 : rank - 3;
        if (axis < 0 || t.dims()[axis] != n) {
            throw new InvalidInputException("structured pruning: parameter '" + name + "' has shape "
                    + Arrays.toString(t.dims()) + "; expected " + n + " entries along the channel axis");
        }
        return axis;
    }

    /** Indices kept: all but the {@code remove} with the smallest score (ties: lower index goes first). */
    static int[] keep(double[] score, int remove) {
        int n = score.length;
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

    private static PruneTensor tensor(OnnxModel model, Map<String, PruneTensor> current, String name) {
        return current.computeIfAbsent(
                name,
                n -> new PruneTensor(
                        model.initializer(n).orElseThrow().getDimsList().stream()
                                .mapToLong(Long::longValue)
                                .toArray(),
                        model.initializerFloats(n)));
    }
}
