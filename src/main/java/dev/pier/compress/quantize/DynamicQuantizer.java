package dev.pier.compress.quantize;

import dev.pier.compress.Compressed;
import dev.pier.compress.CompressionStrategy;
import dev.pier.compress.GraphRewrite;
import dev.pier.compress.WeightedOp;
import dev.pier.onnx.OnnxAttributes;
import dev.pier.onnx.OnnxModel;
import dev.pier.onnx.proto.GraphProto;
import dev.pier.onnx.proto.NodeProto;
import dev.pier.onnx.proto.TensorProto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dynamic quantization of MatMul/Gemm: weights stored as int8 ({@code [in, out]}, symmetric), activations
 * quantized per call by {@code DynamicQuantizeLinear} (uint8), the product computed by {@code MatMulInteger}
 * (int32), then scaled back to float ({@code Cast}, {@code Mul} by input scale × weight scale) and the bias
 * added in float. Conv stays float (ONNX Runtime's dynamic Conv path is rarely faster). Immutable.
 */
public final class DynamicQuantizer implements CompressionStrategy {
    private final boolean perChannel;

    public DynamicQuantizer(boolean perChannel) {
        this.perChannel = perChannel;
    }

    @Override
    public String name() {
        return "quantize-dynamic";
    }

    @Override
    public Compressed apply(OnnxModel model) {
        GraphProto g = model.proto().getGraph();
        List<WeightedOp> ops =
                WeightedOp.find(g).stream().filter(WeightedOp::isDense).toList();
        if (ops.isEmpty()) {
            throw WeightedOp.nothingToCompress(g, "dynamic quantization of " + model.file());
        }
        GraphRewrite rw = new GraphRewrite(model.proto());
        List<Compressed.LayerChange> changes = new ArrayList<>();
        for (WeightedOp op : ops) {
            if (GraphRewrite.consumers(g, op.weight().getName()) != 1) {
                continue; // a shared weight stays float: rewriting it for one consumer would break the other
            }
            NodeProto n = op.node();
            String p = op.label() + "_dq.";
            float[] w = model.initializerFloats(op.weight().getName());
            float[] kn = op.transposed() ? transpose(w, op.outputs(), op.inputs()) : w;
            long[] dims = {op.inputs(), op.outputs()};
            Int8Weights q = Int8Weights.quantize(kn, dims, 1, perChannel);
            rw.removeInitializer(op.weight().getName());
            rw.initializer(q.valuesTensor(p + "w_int8", dims));
            rw.initializer(q.scaleTensor(p + "w_scale"));
            rw.initializer(q.zeroPointTensor(p + "w_zero_point"));
            String out = n.getOutput(0);
            boolean bias = n.getOpType().equals("Gemm")
                    && n.getInputCount() > 2
                    && !n.getInput(2).isEmpty();
            List<NodeProto> seq = new ArrayList<>();
            seq.add(GraphRewrite.node(
                    p + "quantize_input",
                    "DynamicQuantizeLinear",
                    List.of(n.getInput(0)),
                    List.of(p + "x_q", p + "x_scale", p + "x_zero_point")));
            seq.add(GraphRewrite.node(
                    p + "matmul",
                    "MatMulInteger",
                    List.of(p + "x_q", p + "w_int8", p + "x_zero_point", p + "w_zero_point"),
                    List.of(p + "y_int32")));
            seq.add(GraphRewrite.node(
                    p + "cast",
                    "Cast",
                    List.of(p + "y_int32"),
                    List.of(p + "y_unscaled"),
                    OnnxAttributes.of("to", (long) TensorProto.DataType.FLOAT_VALUE)));
            seq.add(GraphRewrite.node(p + "scale", "Mul", List.of(p + "x_scale", p + "w_scale"), List.of(p + "scale")));
            seq.add(GraphRewrite.node(
                    p + "rescale",
                    "Mul",
                    List.of(p + "y_unscaled", p + "scale"),
                    List.of(bias ? p + "y_nobias" : out)));
            if (bias) {
                seq.add(GraphRewrite.node(p + "bias", "Add", List.of(p + "y_nobias", n.getInput(2)), List.of(out)));
            }
            rw.replace(op.index(), seq);
            changes.add(new Compressed.LayerChange(
                    op.label(),
                    op.weight().getName(),
                    op.weight().getDimsList(),
                    List.of(dims[0], dims[1]),
                    nonZero(q.values()),
                    1 - nonZero(q.values()) / (double) w.length,
                    "MatMulInteger, int8 " + (perChannel ? "per-channel" : "per-tensor")));
        }
        if (changes.isEmpty()) {
            throw WeightedOp.nothingToCompress(g, "dynamic quantization of " + model.file() + " (all weights shared)");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", "dynamic");
        details.put("perChannel", perChannel);
        details.put("quantizedLayers", changes.size());
        return new Compressed(rw.build(), changes, details);
    }

    static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }

    static long nonZero(byte[] v) {
        long n = 0;
        for (byte b : v) {
            if (b != 0) {
                n++;
            }
        }
        return n;
    }
}
