package dev.pier.compress.prune;

import dev.pier.api.InvalidInputException;
import dev.pier.compress.WeightedOp;
import dev.pier.onnx.proto.GraphProto;
import dev.pier.onnx.proto.NodeProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The route from one layer's output neurons or channels to the next weighted layer that reads them, and the
 * per-channel parameters on the way (bias Adds, BatchNormalization scale, bias, mean and variance), which
 * shrink together with the channels. Immutable.
 *
 * @param next          the next Conv or dense layer
 * @param channelParams initializers indexed by channel between the two layers
 * @param flattened     whether a Flatten lies between (a Conv feeding a dense layer)
 */
record LayerPath(WeightedOp next, List<String> channelParams, boolean flattened) {
    /** Ops that act on each neuron or channel separately, so removing one commutes with them. */
    static final Set<String> ELEMENTWISE = Set.of(
            "Relu",
            "LeakyRelu",
            "Tanh",
            "Sigmoid",
            "Elu",
            "Selu",
            "Softplus",
            "Identity",
            "Dropout",
            "HardSigmoid",
            "Gelu");
    /** Ops that keep conv channels apart (pooling within a channel). */
    static final Set<String> CHANNELWISE =
            Set.of("MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "LpPool");

    /**
     * Follows {@code layer}'s output; null when it reaches a graph output or nothing (the output layer), or
     * when the last layer meets an op it cannot follow. Any other op in the way is named in an error.
     */
    static LayerPath follow(GraphProto g, WeightedOp layer, Map<String, WeightedOp> byInput, boolean last) {
        Set<String> inits = new HashSet<>();
        g.getInitializerList().forEach(i -> inits.add(i.getName()));
        Set<String> graphOutputs = new HashSet<>();
        g.getOutputList().forEach(o -> graphOutputs.add(o.getName()));
        List<String> params = new ArrayList<>();
        boolean conv = !layer.isDense();
        boolean flattened = false;
        String t = layer.node().getOutput(0);
        while (!byInput.containsKey(t)) {
            String tensor = t;
            List<NodeProto> readers = g.getNodeList().stream()
                    .filter(n -> n.getInputList().contains(tensor))
                    .toList();
            if (graphOutputs.contains(t) || readers.isEmpty()) {
                return null;
            }
            NodeProto r = readers.get(0);
            boolean biasAdd = r.getOpType().equals("Add") && r.getInputCount() == 2 && inits.contains(other(r, t));
            boolean batchNorm = r.getOpType().equals("BatchNormalization")
                    && r.getInput(0).equals(t)
                    && r.getOutputCount() == 1
                    && r.getInputList().subList(1, r.getInputCount()).stream().allMatch(inits::contains);
            boolean pool = conv && !flattened && CHANNELWISE.contains(r.getOpType()) && r.getOutputCount() == 1;
            boolean flatten =
                    conv && !flattened && r.getOpType().equals("Flatten") && WeightedOp.intAttr(r, "axis", 1) == 1;
            if (readers.size() != 1
                    || !ELEMENTWISE.contains(r.getOpType()) && !biasAdd && !batchNorm && !pool && !flatten) {
                if (last) {
                    return null;
                }
                throw new InvalidInputException("structured pruning cannot follow the "
                        + (conv ? "channels" : "neurons")
                        + " of layer '" + layer.label() + "' through op " + r.getOpType() + " (node '" + r.getName()
                        + "'"
                        + (readers.size() != 1 ? ", one of " + readers.size() + " readers" : "")
                        + "); supported between"
                        + " layers: " + new TreeSet<>(ELEMENTWISE) + ", Add of a bias initializer, BatchNormalization"
                        + (conv ? ", " + new TreeSet<>(CHANNELWISE) + " and Flatten(axis=1)" : ""));
            }
            if (biasAdd) {
                params.add(other(r, t));
            }
            if (batchNorm) {
                params.addAll(r.getInputList().subList(1, r.getInputCount()));
            }
            flattened |= flatten;
            t = r.getOutput(0);
        }
        WeightedOp next = byInput.get(t);
        if (conv && !flattened && next.isDense() || !conv && !next.isDense() || flattened && !next.isDense()) {
            throw new InvalidInputException("structured pruning: layer '" + layer.label() + "' ("
                    + layer.node().getOpType()
                    + ") feeds layer '" + next.label() + "' (" + next.node().getOpType() + ")"
                    + (flattened ? " after Flatten" : "")
                    + "; supported: dense to dense, Conv to Conv, Conv to Flatten to dense");
        }
        return new LayerPath(next, params, flattened);
    }

    private static String other(NodeProto add, String t) {
        return add.getInput(0).equals(t) ? add.getInput(1) : add.getInput(0);
    }
}
