package dev.pier.compress;

import dev.pier.api.InvalidInputException;
import dev.pier.onnx.proto.AttributeProto;
import dev.pier.onnx.proto.GraphProto;
import dev.pier.onnx.proto.NodeProto;
import dev.pier.onnx.proto.TensorProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A MatMul, Gemm or Conv node whose weight is a constant initializer: the layers compression works on.
 * Immutable.
 *
 * @param index      the node's position in the graph
 * @param node       the node
 * @param weight     the weight initializer
 * @param transposed for Gemm with {@code transB=1}: the weight is stored {@code [out, in]}
 * @param bias       the bias initializer's name (Gemm C / Conv B), or null
 */
public record WeightedOp(int index, NodeProto node, TensorProto weight, boolean transposed, String bias) {

    /** Op types that hold most of an MLP's or CNN's weights and compute. */
    public static final List<String> OP_TYPES = List.of("MatMul", "Gemm", "Conv");

    public String label() {
        return node.getName().isEmpty() ? node.getOpType() + "_" + index : node.getName();
    }

    public boolean isDense() {
        return !node.getOpType().equals("Conv");
    }

    /** Dense weight rows ({@code in}); for Conv, output channels. */
    public int inputs() {
        return (int) (transposed ? weight.getDims(1) : weight.getDims(0));
    }

    public int outputs() {
        return (int) (transposed ? weight.getDims(0) : weight.getDims(1));
    }

    /** The weight axis that indexes output channels (per-channel quantization axis). */
    public int outputAxis() {
        return !isDense() || transposed ? 0 : 1;
    }

    /** Every MatMul/Gemm/Conv with a constant weight, in graph order. Gemm with transA or alpha != 1 is named in an error. */
    public static List<WeightedOp> find(GraphProto graph) {
        Map<String, TensorProto> inits = new HashMap<>();
        for (TensorProto t : graph.getInitializerList()) {
            inits.put(t.getName(), t);
        }
        List<WeightedOp> out = new ArrayList<>();
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto n = graph.getNode(i);
            if (!OP_TYPES.contains(n.getOpType()) || n.getInputCount() < 2 || !inits.containsKey(n.getInput(1))) {
                continue;
            }
            TensorProto w = inits.get(n.getInput(1));
            if (w.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
                continue;
            }
            boolean conv = n.getOpType().equals("Conv");
            if (!conv && w.getDimsCount() != 2) {
                continue; // batched MatMul weights: left alone
            }
            boolean transB = false;
            if (n.getOpType().equals("Gemm")) {
                if (intAttr(n, "transA", 0) != 0
                        || floatAttr(n, "alpha", 1f) != 1f
                        || n.getInputCount() > 2 && floatAttr(n, "beta", 1f) != 1f) {
                    throw new InvalidInputException("Gemm node '" + n.getName() + "' uses transA/alpha/beta other than"
                            + " transA=0, alpha=1, beta=1; compression supports only the plain x·W + b form");
                }
                transB = intAttr(n, "transB", 0) == 1;
            }
            String bias = n.getInputCount() > 2 && inits.containsKey(n.getInput(2)) ? n.getInput(2) : null;
            out.add(new WeightedOp(i, n, w, transB, bias));
        }
        return out;
    }

    public static long intAttr(NodeProto n, String name, long dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return dflt;
    }

    static float floatAttr(NodeProto n, String name, float dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getF();
            }
        }
        return dflt;
    }

    /** An error naming the ops present when a strategy found nothing to work on. */
    public static InvalidInputException nothingToCompress(GraphProto graph, String what) {
        java.util.Set<String> ops = new java.util.TreeSet<>();
        graph.getNodeList().forEach(n -> ops.add(n.getOpType()));
        return new InvalidInputException(what + ": expected MatMul/Gemm/Conv nodes with constant FP32 weights, "
                + "but the graph has only these ops: " + ops);
    }
}
