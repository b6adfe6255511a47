package dev.pier.compress.quantize;

import dev.pier.compress.GraphRewrite;
import dev.pier.compress.WeightedOp;
import dev.pier.onnx.OnnxModel;
import dev.pier.onnx.OnnxTensors;
import dev.pier.onnx.proto.ModelProto;
import dev.pier.onnx.proto.NodeProto;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites every Gemm with a constant weight into the equivalent {@code MatMul(x, W[in, out])} followed by
 * {@code Add(bias)}, transposing a {@code transB=1} weight. QLinearMatMul has no bias and no transpose, and
 * calibration must see the product before the bias, so the QOperator quantizer works on this form.
 * Stateless.
 */
final class GemmToMatMul {
    private GemmToMatMul() {}

    static ModelProto rewrite(OnnxModel model) {
        var g = model.proto().getGraph();
        GraphRewrite rw = new GraphRewrite(model.proto());
        for (WeightedOp op : WeightedOp.find(g)) {
            NodeProto n = op.node();
            if (!n.getOpType().equals("Gemm")) {
                continue;
            }
            String w = n.getInput(1);
            if (op.transposed()) {
                float[] values = DynamicQuantizer.transpose(model.initializerFloats(w), op.outputs(), op.inputs());
                w = w + "_in_out";
                rw.initializer(OnnxTensors.floats(w, new long[] {op.inputs(), op.outputs()}, values));
                if (GraphRewrite.consumers(g, n.getInput(1)) == 1) {
                    rw.removeInitializer(n.getInput(1));
                }
            }
            boolean bias = n.getInputCount() > 2 && !n.getInput(2).isEmpty();
            String product = bias ? n.getOutput(0) + "_before_bias" : n.getOutput(0);
            List<NodeProto> seq = new ArrayList<>();
            seq.add(GraphRewrite.node(op.label() + "_matmul", "MatMul", List.of(n.getInput(0), w), List.of(product)));
            if (bias) {
                seq.add(GraphRewrite.node(
                        op.label() + "_bias", "Add", List.of(product, n.getInput(2)), List.of(n.getOutput(0))));
            }
            rw.replace(op.index(), seq);
        }
        return rw.build();
    }
}
