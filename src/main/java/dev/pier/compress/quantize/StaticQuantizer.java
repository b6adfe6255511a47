package dev.pier.compress.quantize;

import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.compress.Compressed;
import dev.pier.compress.CompressionStrategy;
import dev.pier.compress.GraphRewrite;
import dev.pier.compress.WeightedOp;
import dev.pier.data.LabeledData;
import dev.pier.onnx.OnnxAttributes;
import dev.pier.onnx.OnnxModel;
import dev.pier.onnx.OnnxTensors;
import dev.pier.onnx.proto.GraphProto;
import dev.pier.onnx.proto.NodeProto;
import dev.pier.onnx.proto.OperatorSetIdProto;
import dev.pier.runtime.InferenceEngine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Static quantization; in QOperator form see {@link QOperatorQuantizer}, by default in QDQ form: each MatMul/Gemm/Conv reads its weight through
 * {@code DequantizeLinear(int8 weight)} (symmetric, per tensor or per output channel) and its input and output
 * pass through {@code QuantizeLinear → DequantizeLinear} pairs (uint8, asymmetric) whose scales come from
 * calibration on real data. ONNX Runtime fuses these patterns into its integer kernels (QLinearMatMul,
 * QLinearConv); other ops stay float. Immutable; the engine is borrowed.
 */
public final class StaticQuantizer implements CompressionStrategy {
    private final InferenceEngine engine;
    private final LabeledData calibration;
    private final QuantizeOptions options;

    public StaticQuantizer(InferenceEngine engine, LabeledData calibration, QuantizeOptions options) {
        this.engine = engine;
        this.calibration = calibration;
        this.options = options;
    }

    @Override
    public String name() {
        return "quantize-static";
    }

    @Override
    public Compressed apply(OnnxModel model) {
        GraphProto g = model.proto().getGraph();
        long opset = model.proto().getOpsetImportList().stream()
                .filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToLong(OperatorSetIdProto::getVersion)
                .max()
                .orElse(0);
        if (opset < 13) {
            throw new InvalidInputException("static quantization needs ONNX opset >= 13 (QuantizeLinear with axis),"
                    + " but " + model.file() + " imports opset " + opset);
        }
        if (options.format() == QuantizeOptions.Format.QOPERATOR) {
            return new QOperatorQuantizer(engine, calibration, options).apply(model);
        }
        List<WeightedOp> ops = WeightedOp.find(g).stream()
                .filter(op -> GraphRewrite.consumers(g, op.weight().getName()) == 1)
                .toList();
        if (ops.isEmpty()) {
            throw WeightedOp.nothingToCompress(g, "static quantization of " + model.file());
        }
        List<String> tensors = new ArrayList<>();
        for (WeightedOp op : ops) {
            addOnce(tensors, op.node().getInput(0));
            addOnce(tensors, op.node().getOutput(0));
        }
        String input = model.summary().inputs().get(0).name();
        Map<String, Calibrator.Range> ranges =
                new Calibrator(engine).ranges(model.proto(), input, tensors, calibration, options);
        GraphRewrite rw = new GraphRewrite(model.proto());
        List<Compressed.LayerChange> changes = new ArrayList<>();
        for (WeightedOp op : ops) {
            NodeProto n = op.node();
            String p = op.label() + "_qdq.";
            List<NodeProto> seq = new ArrayList<>();
            String x = n.getInput(0);
            qdq(rw, seq, p + "input", x, p + "input_dq", ranges.get(x));
            float[] w = model.initializerFloats(op.weight().getName());
            long[] dims = op.weight().getDimsList().stream()
                    .mapToLong(Long::longValue)
                    .toArray();
            Int8Weights q = Int8Weights.quantize(w, dims, op.outputAxis(), options.perChannel());
            rw.removeInitializer(op.weight().getName());
            rw.initializer(q.valuesTensor(p + "w_int8", dims));
            rw.initializer(q.scaleTensor(p + "w_scale"));
            rw.initializer(q.zeroPointTensor(p + "w_zero_point"));
            seq.add(
                    options.perChannel()
                            ? GraphRewrite.node(
                                    p + "w_dequantize",
                                    "DequantizeLinear",
                                    List.of(p + "w_int8", p + "w_scale", p + "w_zero_point"),
                                    List.of(p + "w_dq"),
                                    OnnxAttributes.of("axis", (long) op.outputAxis()))
                            : GraphRewrite.node(
                                    p + "w_dequantize",
                                    "DequantizeLinear",
                                    List.of(p + "w_int8", p + "w_scale", p + "w_zero_point"),
                                    List.of(p + "w_dq")));
            NodeProto.Builder rewired = n.toBuilder()
                    .setInput(0, p + "input_dq")
                    .setInput(1, p + "w_dq")
                    .setOutput(0, p + "output_float");
            seq.add(rewired.build());
            qdq(rw, seq, p + "output", p + "output_float", n.getOutput(0), ranges.get(n.getOutput(0)));
            rw.replace(op.index(), seq);
            changes.add(new Compressed.LayerChange(
                    op.label(),
                    op.weight().getName(),
                    op.weight().getDimsList(),
                    op.weight().getDimsList(),
                    DynamicQuantizer.nonZero(q.values()),
                    1 - DynamicQuantizer.nonZero(q.values()) / (double) w.length,
                    "QDQ int8 " + (options.perChannel() ? "per-channel" : "per-tensor")
                            + " weights, uint8 activations"));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", "static");
        details.put("format", "qdq");
        details.put("method", options.method().name().toLowerCase(java.util.Locale.ROOT));
        if (options.method() == QuantizeOptions.Method.PERCENTILE) {
            details.put("percentile", options.percentile());
        }
        details.put("perChannel", options.perChannel());
        details.put("calibration", calibration.name() + " (" + calibration.count() + " examples)");
        Map<String, List<Float>> shown = new LinkedHashMap<>();
        ranges.forEach((k, v) -> shown.put(k, List.of(v.low(), v.high())));
        details.put("activationRanges", shown);
        return new Compressed(rw.build(), changes, details);
    }

    /** Appends {@code QuantizeLinear(from) → DequantizeLinear → to} with uint8 parameters for {@code range}. */
    private static void qdq(
            GraphRewrite rw, List<NodeProto> seq, String prefix, String from, String to, Calibrator.Range range) {
        float span = range.high() - range.low();
        float scale = span > 0 ? span / 255f : 1f;
        int zero = Math.max(0, Math.min(255, Math.round(-range.low() / scale)));
        rw.initializer(OnnxTensors.floats(prefix + "_scale", new long[0], scale));
        rw.initializer(
                OnnxTensors.packed(prefix + "_zero_point", DataType.UINT8, new long[0], new byte[] {(byte) zero}));
        seq.add(GraphRewrite.node(
                prefix + "_quantize",
                "QuantizeLinear",
                List.of(from, prefix + "_scale", prefix + "_zero_point"),
                List.of(prefix + "_q")));
        seq.add(GraphRewrite.node(
                prefix + "_dequantize",
                "DequantizeLinear",
                List.of(prefix + "_q", prefix + "_scale", prefix + "_zero_point"),
                List.of(to)));
    }

    private static void addOnce(List<String> list, String s) {
        if (!list.contains(s)) {
            list.add(s);
        }
    }
}
