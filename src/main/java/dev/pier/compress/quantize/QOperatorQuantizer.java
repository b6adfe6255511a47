package dev.pier.compress.quantize;

import static dev.pier.compress.GraphRewrite.node;

import dev.pier.api.DataType;
import dev.pier.compress.Compressed;
import dev.pier.compress.WeightedOp;
import dev.pier.data.LabeledData;
import dev.pier.onnx.OnnxModel;
import dev.pier.onnx.OnnxTensorValues;
import dev.pier.onnx.OnnxTensors;
import dev.pier.onnx.proto.AttributeProto;
import dev.pier.onnx.proto.GraphProto;
import dev.pier.onnx.proto.ModelProto;
import dev.pier.onnx.proto.NodeProto;
import dev.pier.onnx.proto.TensorProto;
import dev.pier.runtime.InferenceEngine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Static quantization in QOperator form: every Conv becomes a {@code QLinearConv} (uint8 activations, int8
 * weights, int32 bias) and every MatMul/Gemm a {@code QLinearMatMul} (its bias added in float afterwards), so
 * ONNX Runtime runs integer kernels without having to recognise QDQ patterns. Between integer ops tensors stay
 * uint8 where the op allows it: a Relu that is the sole reader of a Conv/MatMul output is folded into the
 * output's quantization range (values below zero saturate to the zero point, which is exactly Relu), and
 * MaxPool, Flatten, Reshape, Transpose, Squeeze, Unsqueeze and Identity run on the uint8 tensor with its scale
 * unchanged; an Add of two uint8 tensors (a residual connection) becomes ONNX Runtime's {@code QLinearAdd}
 * (domain {@code com.microsoft}), its Relu folded the same way. Any other op reads a float tensor, made on demand by a {@code DequantizeLinear}, and
 * {@code QuantizeLinear} brings float tensors back in front of the next integer op; graph inputs and outputs
 * stay float. Not thread-safe: one instance per rewrite.
 */
final class QOperatorQuantizer {
    /** Ops that move or select uint8 values without changing their meaning, so scale and zero point carry over. */
    /** ONNX Runtime's contrib domain, home of QLinearAdd. */
    private static final String MS_DOMAIN = "com.microsoft";

    private static final Set<String> PASS_THROUGH =
            Set.of("MaxPool", "Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Identity");

    private final InferenceEngine engine;
    private final LabeledData calibration;
    private final QuantizeOptions options;

    /** A uint8 tensor with the names of its scale and zero point. */
    private record QTensor(String name, String scale, String zeroPoint) {}

    private final List<NodeProto> out = new ArrayList<>();
    private final Map<String, TensorProto> inits = new LinkedHashMap<>();
    private final Map<String, QTensor> quantized = new HashMap<>();
    private final Set<String> floats = new HashSet<>();
    private final Map<String, TensorProto> weights = new HashMap<>();
    private final Map<String, Float> scales = new HashMap<>();
    private java.nio.file.Path modelDir;
    private Map<String, Calibrator.Range> ranges;

    QOperatorQuantizer(InferenceEngine engine, LabeledData calibration, QuantizeOptions options) {
        this.engine = engine;
        this.calibration = calibration;
        this.options = options;
    }

    Compressed apply(OnnxModel model) {
        ModelProto norm = GemmToMatMul.rewrite(model);
        GraphProto g = norm.getGraph();
        g.getInitializerList().forEach(t -> weights.put(t.getName(), t));
        modelDir = model.file() == null ? null : model.file().toAbsolutePath().getParent();
        List<WeightedOp> ops = WeightedOp.find(g).stream()
                .filter(op ->
                        dev.pier.compress.GraphRewrite.consumers(g, op.weight().getName()) == 1)
                .toList();
        if (ops.isEmpty()) {
            throw WeightedOp.nothingToCompress(g, "static quantization of " + model.file());
        }
        Set<String> graphOutputs = new HashSet<>();
        g.getOutputList().forEach(o -> graphOutputs.add(o.getName()));
        Map<Integer, WeightedOp> byIndex = new HashMap<>();
        Map<Integer, String> quantOut = new HashMap<>();
        Set<Integer> folded = new HashSet<>();
        List<String> tensors = new ArrayList<>();
        for (WeightedOp op : ops) {
            byIndex.put(op.index(), op);
            String y = foldRelu(g, op.node().getOutput(0), graphOutputs, folded);
            quantOut.put(op.index(), y);
            addOnce(tensors, op.node().getInput(0));
            addOnce(tensors, y);
        }
        // plan which tensors will exist in uint8, to find Adds of two of them (residual connections)
        Set<String> willQuantize = new HashSet<>();
        Map<Integer, String> integerAdds = new HashMap<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            if (byIndex.containsKey(i)) {
                willQuantize.add(quantOut.get(i));
            } else if (PASS_THROUGH.contains(n.getOpType())
                    && n.getOutputCount() == 1
                    && willQuantize.contains(n.getInput(0))) {
                willQuantize.add(n.getOutput(0));
            } else if (n.getOpType().equals("Add")
                    && n.getInputCount() == 2
                    && willQuantize.containsAll(n.getInputList())) {
                String y = foldRelu(g, n.getOutput(0), graphOutputs, folded);
                integerAdds.put(i, y);
                willQuantize.add(y);
                addOnce(tensors, y);
            }
        }
        ranges = new Calibrator(engine)
                .ranges(norm, model.summary().inputs().get(0).name(), tensors, calibration, options);
        g.getInitializerList().forEach(t -> inits.put(t.getName(), t));
        g.getInputList().forEach(i -> floats.add(i.getName()));
        floats.addAll(inits.keySet());
        List<Compressed.LayerChange> changes = new ArrayList<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            WeightedOp op = byIndex.get(i);
            if (op != null) {
                changes.add(integerOp(op, quantOut.get(i)));
            } else if (integerAdds.containsKey(i)) {
                String y = integerAdds.get(i);
                QTensor a = quantized.get(n.getInput(0));
                QTensor b = quantized.get(n.getInput(1));
                QTensor c = params(y, label(n, i) + "_q.y");
                out.add(node(
                                label(n, i) + "_quantized",
                                "QLinearAdd",
                                List.of(
                                        a.name(),
                                        a.scale(),
                                        a.zeroPoint(),
                                        b.name(),
                                        b.scale(),
                                        b.zeroPoint(),
                                        c.scale(),
                                        c.zeroPoint()),
                                List.of(c.name()))
                        .toBuilder()
                        .setDomain(MS_DOMAIN)
                        .build());
                quantized.put(y, c);
            } else if (folded.contains(i)) {
                continue; // the Relu lives in the producing op's output range
            } else if (PASS_THROUGH.contains(n.getOpType())
                    && n.getOutputCount() == 1
                    && quantized.containsKey(n.getInput(0))) {
                QTensor x = quantized.get(n.getInput(0));
                NodeProto.Builder b = n.toBuilder().setInput(0, x.name()).setOutput(0, n.getOutput(0) + "_quantized");
                out.add(b.build());
                quantized.put(n.getOutput(0), new QTensor(n.getOutput(0) + "_quantized", x.scale(), x.zeroPoint()));
            } else {
                for (String in : n.getInputList()) {
                    if (!in.isEmpty()) {
                        ensureFloat(in);
                    }
                }
                out.add(n);
                floats.addAll(n.getOutputList());
            }
        }
        g.getOutputList().forEach(o -> ensureFloat(o.getName()));
        GraphProto.Builder gb =
                g.toBuilder().clearNode().addAllNode(out).clearInitializer().clearValueInfo();
        Set<String> used = new HashSet<>();
        out.forEach(n -> used.addAll(n.getInputList()));
        inits.values().stream().filter(t -> used.contains(t.getName())).forEach(gb::addInitializer);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", "static");
        details.put("format", "qoperator");
        details.put("method", options.method().name().toLowerCase(java.util.Locale.ROOT));
        details.put("perChannel", options.perChannel());
        details.put("calibration", calibration.name() + " (" + calibration.count() + " examples)");
        details.put("reluFolded", folded.size());
        Map<String, List<Float>> shown = new LinkedHashMap<>();
        ranges.forEach((k, v) -> shown.put(k, List.of(v.low(), v.high())));
        details.put("activationRanges", shown);
        details.put("integerAdds", integerAdds.size());
        ModelProto.Builder mb = norm.toBuilder().setGraph(gb);
        if (!integerAdds.isEmpty()
                && norm.getOpsetImportList().stream()
                        .noneMatch(o -> o.getDomain().equals(MS_DOMAIN))) {
            mb.addOpsetImport(dev.pier.onnx.proto.OperatorSetIdProto.newBuilder()
                    .setDomain(MS_DOMAIN)
                    .setVersion(1));
        }
        return new Compressed(mb.build(), changes, details);
    }

    /** Emits QLinearConv / QLinearMatMul for {@code op}, whose quantized result stands for tensor {@code y}. */
    private Compressed.LayerChange integerOp(WeightedOp op, String y) {
        NodeProto n = op.node();
        String p = op.label() + "_q.";
        QTensor x = ensureQuantized(n.getInput(0));
        float[] w = floatsOf(op.weight().getName());
        long[] dims =
                op.weight().getDimsList().stream().mapToLong(Long::longValue).toArray();
        Int8Weights q = Int8Weights.quantize(w, dims, op.outputAxis(), options.perChannel());
        inits.remove(op.weight().getName());
        put(q.valuesTensor(p + "w_int8", dims));
        put(q.scaleTensor(p + "w_scale"));
        put(q.zeroPointTensor(p + "w_zero_point"));
        QTensor result = params(y, p + "y");
        List<String> inputs = new ArrayList<>(List.of(
                x.name(),
                x.scale(),
                x.zeroPoint(),
                p + "w_int8",
                p + "w_scale",
                p + "w_zero_point",
                result.scale(),
                result.zeroPoint()));
        String opType;
        if (op.isDense()) {
            opType = "QLinearMatMul";
        } else {
            opType = "QLinearConv";
            if (op.bias() != null) {
                inputs.add(int32Bias(op, x, q, p + "bias_int32"));
            }
        }
        NodeProto.Builder b = node(op.label() + "_quantized", opType, inputs, List.of(result.name())).toBuilder();
        if (!op.isDense()) {
            for (AttributeProto a : n.getAttributeList()) {
                b.addAttribute(a);
            }
        }
        out.add(b.build());
        quantized.put(y, result);
        long nz = DynamicQuantizer.nonZero(q.values());
        return new Compressed.LayerChange(
                op.label(),
                op.weight().getName(),
                op.weight().getDimsList(),
                op.weight().getDimsList(),
                nz,
                1 - nz / (double) w.length,
                opType + ", int8 "
                        + (options.perChannel() ? "per-channel" : "per-tensor") + " weights, uint8 activations"
                        + (y.equals(n.getOutput(0)) ? "" : ", Relu folded"));
    }

    /** Conv bias in int32 at scale {@code x_scale × w_scale[c]}, zero point 0, as QLinearConv requires. */
    private String int32Bias(WeightedOp op, QTensor x, Int8Weights q, String name) {
        float[] bias = floatsOf(op.bias());
        float xs = scales.get(x.scale());
        ByteBuffer buf = ByteBuffer.allocate(bias.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < bias.length; c++) {
            double s = (double) xs * q.scales()[q.scales().length == 1 ? 0 : c];
            buf.putInt((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.round(bias[c] / s))));
        }
        inits.remove(op.bias());
        put(OnnxTensors.packed(name, DataType.INT32, new long[] {bias.length}, buf.array()));
        return name;
    }

    /** The uint8 version of {@code t}, adding a QuantizeLinear with its calibrated range if there is none yet. */
    private QTensor ensureQuantized(String t) {
        QTensor q = quantized.get(t);
        if (q == null) {
            ensureFloat(t);
            q = params(t, t + "_input");
            out.add(node(t + "_quantize", "QuantizeLinear", List.of(t, q.scale(), q.zeroPoint()), List.of(q.name())));
            quantized.put(t, q);
        }
        return q;
    }

    /** Makes float tensor {@code t} exist, dequantizing its uint8 version if only that exists. */
    private void ensureFloat(String t) {
        if (floats.contains(t)) {
            return;
        }
        QTensor q = quantized.get(t);
        if (q == null) {
            throw new IllegalStateException(
                    "tensor '" + t + "' is read before any node produces it; is the graph sorted?");
        }
        out.add(node(t + "_dequantize", "DequantizeLinear", List.of(q.name(), q.scale(), q.zeroPoint()), List.of(t)));
        floats.add(t);
    }

    /** Scale and zero point initializers for the calibrated range of {@code t}; names start with {@code prefix}. */
    private QTensor params(String t, String prefix) {
        Calibrator.Range r = ranges.get(t);
        float span = r.high() - r.low();
        float scale = span > 0 ? span / 255f : 1f;
        int zero = Math.max(0, Math.min(255, Math.round(-r.low() / scale)));
        put(OnnxTensors.floats(prefix + "_scale", new long[0], scale));
        scales.put(prefix + "_scale", scale);
        put(OnnxTensors.packed(prefix + "_zero_point", DataType.UINT8, new long[0], new byte[] {(byte) zero}));
        return new QTensor(prefix + "_quantized", prefix + "_scale", prefix + "_zero_point");
    }

    private float[] floatsOf(String initializer) {
        return OnnxTensorValues.toFloats(weights.get(initializer), modelDir);
    }

    private void put(TensorProto t) {
        inits.put(t.getName(), t);
    }

    /** {@code y}, or the output of the Relu that is its only reader (then marked folded). */
    private static String foldRelu(GraphProto g, String y, Set<String> graphOutputs, Set<Integer> folded) {
        List<Integer> readers = readers(g, y);
        if (!graphOutputs.contains(y)
                && readers.size() == 1
                && g.getNode(readers.get(0)).getOpType().equals("Relu")) {
            folded.add(readers.get(0));
            return g.getNode(readers.get(0)).getOutput(0);
        }
        return y;
    }

    private static String label(NodeProto n, int index) {
        return n.getName().isEmpty() ? n.getOpType() + "_" + index : n.getName();
    }

    private static List<Integer> readers(GraphProto g, String tensor) {
        List<Integer> r = new ArrayList<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (g.getNode(i).getInputList().contains(tensor)) {
                r.add(i);
            }
        }
        return r;
    }

    private static void addOnce(List<String> list, String s) {
        if (!list.contains(s)) {
            list.add(s);
        }
    }
}
