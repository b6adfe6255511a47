package dev.pier.compress.quantize;

import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.compress.Compressed;
import dev.pier.compress.CompressionStrategy;
import dev.pier.onnx.OnnxAttributes;
import dev.pier.onnx.OnnxModel;
import dev.pier.onnx.OnnxTensors;
import dev.pier.onnx.proto.AttributeProto;
import dev.pier.onnx.proto.GraphProto;
import dev.pier.onnx.proto.ModelProto;
import dev.pier.onnx.proto.NodeProto;
import dev.pier.onnx.proto.TensorProto;
import dev.pier.onnx.proto.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts a float model to half precision: every FP32 initializer (and FP32 {@code Constant}) becomes FP16,
 * {@code Cast(to=FLOAT)} nodes inside the graph cast to FLOAT16 instead, and the graph's FP32 inputs and outputs
 * stay FP32 behind {@code Cast} nodes at the edges, so clients send and receive exactly what they did before.
 * The file roughly halves. On CPU, ONNX Runtime runs ops that lack an FP16 kernel by inserting casts itself, so
 * the model runs everywhere but is only faster where the hardware has FP16 arithmetic (GPUs). Ops whose float
 * inputs must stay FP32 by the ONNX spec are named in an error. Immutable.
 */
public final class Fp16Converter implements CompressionStrategy {
    /** Ops that take an FP32 tensor with a fixed type (scales, ranges) that FP16 would break. */
    private static final Set<String> UNSUPPORTED = Set.of(
            "Resize",
            "Upsample",
            "QuantizeLinear",
            "DequantizeLinear",
            "DynamicQuantizeLinear",
            "MatMulInteger",
            "ConvInteger",
            "QLinearConv",
            "QLinearMatMul",
            "RandomNormal",
            "RandomUniform",
            "RandomNormalLike",
            "RandomUniformLike",
            "Multinomial",
            "Loop",
            "If",
            "Scan");

    @Override
    public String name() {
        return "convert-fp16";
    }

    @Override
    public Compressed apply(OnnxModel model) {
        GraphProto g = model.proto().getGraph();
        for (NodeProto n : g.getNodeList()) {
            if (UNSUPPORTED.contains(n.getOpType())) {
                throw new InvalidInputException("fp16 conversion does not support op " + n.getOpType() + " (node '"
                        + n.getName() + "'): its float inputs have fixed types or it holds subgraphs; convert a model"
                        + " without it, or quantize it instead");
            }
        }
        Map<String, String> renamed = new HashMap<>();
        List<NodeProto> nodes = new ArrayList<>();
        for (ValueInfoProto in : g.getInputList()) {
            if (isFloat(in)) {
                String half = in.getName() + "_fp16";
                renamed.put(in.getName(), half);
                nodes.add(cast(in.getName() + "_to_fp16", in.getName(), half, TensorProto.DataType.FLOAT16_VALUE));
            }
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        for (ValueInfoProto out : g.getOutputList()) {
            if (isFloat(out)) {
                outputs.put(out.getName(), out.getName() + "_fp16");
            }
        }
        for (NodeProto n : g.getNodeList()) {
            NodeProto.Builder b = n.toBuilder();
            for (int i = 0; i < b.getInputCount(); i++) {
                b.setInput(i, renamed.getOrDefault(b.getInput(i), b.getInput(i)));
            }
            for (int i = 0; i < b.getOutputCount(); i++) {
                String o = b.getOutput(i);
                if (outputs.containsKey(o)) {
                    b.setOutput(i, outputs.get(o));
                    renamed.put(o, outputs.get(o));
                }
            }
            for (int i = 0; i < b.getAttributeCount(); i++) {
                AttributeProto a = b.getAttribute(i);
                if (n.getOpType().equals("Cast")
                        && a.getName().equals("to")
                        && a.getI() == TensorProto.DataType.FLOAT_VALUE) {
                    b.setAttribute(i, OnnxAttributes.of("to", (long) TensorProto.DataType.FLOAT16_VALUE));
                } else if (a.hasT() && a.getT().getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                    b.setAttribute(i, a.toBuilder().setT(half(a.getT(), model)));
                } else if (n.getOpType().equals("Constant")
                        && (a.getName().equals("value_float") || a.getName().equals("value_floats"))) {
                    // a float Constant written as a plain attribute: re-expressed as an FP16 tensor value
                    float[] v = a.getName().equals("value_float") ? new float[] {a.getF()} : toArray(a.getFloatsList());
                    long[] dims = a.getName().equals("value_float") ? new long[0] : new long[] {v.length};
                    b.setAttribute(i, OnnxAttributes.of("value", half(OnnxTensors.floats("value", dims, v), model)));
                }
            }
            nodes.add(b.build());
        }
        outputs.forEach(
                (name, half) -> nodes.add(cast(name + "_to_fp32", half, name, TensorProto.DataType.FLOAT_VALUE)));

        GraphProto.Builder gb =
                g.toBuilder().clearNode().addAllNode(nodes).clearInitializer().clearValueInfo();
        List<Compressed.LayerChange> changes = new ArrayList<>();
        int converted = 0;
        for (TensorProto t : g.getInitializerList()) {
            if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                TensorProto h = half(t, model);
                gb.addInitializer(h);
                converted++;
                if (t.getDimsCount() >= 2) {
                    long n = OnnxTensors.elements(
                            t.getDimsList().stream().mapToLong(Long::longValue).toArray());
                    changes.add(new Compressed.LayerChange(
                            t.getName(),
                            t.getName(),
                            t.getDimsList(),
                            t.getDimsList(),
                            nonZeroHalf(h),
                            1 - nonZeroHalf(h) / (double) n,
                            "fp16"));
                }
            } else {
                gb.addInitializer(t);
            }
        }
        if (converted == 0) {
            throw new InvalidInputException(
                    "fp16 conversion of " + model.file() + ": expected FP32 initializers, found none");
        }
        ModelProto out = model.proto().toBuilder().setGraph(gb).build();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", "fp16");
        details.put("convertedInitializers", converted);
        details.put("edges", "FP32 inputs and outputs kept, Cast at the edges");
        return new Compressed(out, changes, details);
    }

    private static float[] toArray(List<Float> list) {
        float[] v = new float[list.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = list.get(i);
        }
        return v;
    }

    private static boolean isFloat(ValueInfoProto v) {
        return v.getType().hasTensorType()
                && v.getType().getTensorType().getElemType() == TensorProto.DataType.FLOAT_VALUE;
    }

    private static NodeProto cast(String name, String from, String to, int type) {
        return NodeProto.newBuilder()
                .setName(name)
                .setOpType("Cast")
                .addInput(from)
                .addOutput(to)
                .addAttribute(OnnxAttributes.of("to", (long) type))
                .build();
    }

    /** The same tensor in IEEE half precision (round to nearest even, as {@link Float#floatToFloat16} does). */
    static TensorProto half(TensorProto t, OnnxModel model) {
        float[] v = dev.pier.onnx.OnnxTensorValues.toFloats(
                t, model.file() == null ? null : model.file().getParent());
        ByteBuffer buf = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            buf.putShort(Float.floatToFloat16(f));
        }
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        return OnnxTensors.packed(t.getName(), DataType.FP16, dims, buf.array());
    }

    private static long nonZeroHalf(TensorProto h) {
        ByteBuffer b = h.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long n = 0;
        while (b.remaining() >= 2) {
            if ((b.getShort() & 0x7fff) != 0) {
                n++;
            }
        }
        return n;
    }
}
