package dev.pier.onnx;

import static dev.pier.onnx.OnnxAttributes.of;
import static dev.pier.onnx.OnnxAttributes.ofInts;

import dev.pier.api.DataType;
import java.util.List;

/**
 * Exports a feed-forward network layer by layer, the way training code walks its blocks: each call appends
 * nodes consuming the previous layer's value. Produces an inference graph (no Dropout; BatchNormalization in
 * inference mode). Weight layouts follow PyTorch/DJL: Conv {@code [out, in, kH, kW]}, Linear via
 * {@link #linear} {@code [out, in]}. Not thread-safe.
 *
 * <pre>{@code
 * OnnxModelBuilder model = SequentialGraph.start("cnn", "input", DataType.FP32, "batch", 1, 28, 28)
 *     .conv(w, new long[] {8, 1, 3, 3}, b, 1, 1).relu().maxPool(2, 2).flatten()
 *     .linear(w2, 8 * 14 * 14, 10, b2).softmax()
 *     .finish("output", "batch", 10);
 * }</pre>
 */
public final class SequentialGraph {
    private final OnnxModelBuilder model;
    private final String inputName;
    private String current;
    private int layer;

    private SequentialGraph(OnnxModelBuilder model, String inputName) {
        this.model = model;
        this.inputName = inputName;
        this.current = inputName;
    }

    /** Starts a graph with one input; dims are numbers or symbolic names such as {@code "batch"}. */
    public static SequentialGraph start(String graphName, String inputName, DataType type, Object... dims) {
        OnnxModelBuilder b = OnnxModelBuilder.create(graphName).input(inputName, type, dims);
        return new SequentialGraph(b, inputName);
    }

    /** The underlying builder, e.g. to add metadata. */
    public OnnxModelBuilder builder() {
        return model;
    }

    /** {@code y = activation(x · W + b)} with W {@code [in, out]} (one Gemm). */
    public SequentialGraph dense(DenseLayer d) {
        String w = param("W");
        String b = param("B");
        model.initializer(w, new long[] {d.inputs(), d.outputs()}, d.weights());
        model.initializer(b, new long[] {d.outputs()}, d.bias());
        op("Gemm", List.of(current, w, b));
        return activation(d.activation());
    }

    /** {@code y = x · Wᵀ + b} with W {@code [out, in]} as PyTorch's/DJL's Linear stores it (Gemm transB=1). */
    public SequentialGraph linear(float[] weightOutByIn, int in, int out, float[] bias) {
        String w = param("W");
        String b = param("B");
        model.initializer(w, new long[] {out, in}, weightOutByIn);
        model.initializer(b, new long[] {out}, bias);
        op("Gemm", List.of(current, w, b), of("transB", 1L));
        return this;
    }

    /** 2-D convolution; weight {@code [outChannels, inChannels, kH, kW]}, bias may be null; symmetric padding. */
    public SequentialGraph conv(float[] weight, long[] weightDims, float[] bias, int stride, int padding) {
        if (weightDims.length != 4) {
            throw new IllegalArgumentException(
                    "Conv weight dims must be [out, in, kH, kW], got " + java.util.Arrays.toString(weightDims));
        }
        String w = param("W");
        model.initializer(w, weightDims, weight);
        List<String> inputs = List.of(current, w);
        if (bias != null) {
            String b = param("B");
            model.initializer(b, new long[] {weightDims[0]}, bias);
            inputs = List.of(current, w, b);
        }
        op(
                "Conv",
                inputs,
                ofInts("kernel_shape", (int) weightDims[2], (int) weightDims[3]),
                ofInts("strides", stride, stride),
                ofInts("pads", padding, padding, padding, padding));
        return this;
    }

    public SequentialGraph maxPool(int kernel, int stride) {
        op("MaxPool", List.of(current), ofInts("kernel_shape", kernel, kernel), ofInts("strides", stride, stride));
        return this;
    }

    public SequentialGraph averagePool(int kernel, int stride) {
        op("AveragePool", List.of(current), ofInts("kernel_shape", kernel, kernel), ofInts("strides", stride, stride));
        return this;
    }

    /** Inference-mode batch normalisation over channel axis 1. */
    public SequentialGraph batchNorm(float[] scale, float[] bias, float[] mean, float[] variance, float epsilon) {
        long[] dims = {scale.length};
        String s = param("scale");
        String b = param("B");
        String m = param("mean");
        String v = param("var");
        model.initializer(s, dims, scale)
                .initializer(b, dims, bias)
                .initializer(m, dims, mean)
                .initializer(v, dims, variance);
        op("BatchNormalization", List.of(current, s, b, m, v), of("epsilon", epsilon));
        return this;
    }

    /** Flattens all but the batch axis. */
    public SequentialGraph flatten() {
        op("Flatten", List.of(current), of("axis", 1L));
        return this;
    }

    /** Reshape to a target shape ({@code 0} copies a dimension, {@code -1} infers one). */
    public SequentialGraph reshape(long... shape) {
        String s = param("shape");
        model.initializer(s, new long[] {shape.length}, shape);
        op("Reshape", List.of(current, s));
        return this;
    }

    public SequentialGraph relu() {
        return activation(Activation.RELU);
    }

    public SequentialGraph tanh() {
        return activation(Activation.TANH);
    }

    public SequentialGraph sigmoid() {
        return activation(Activation.SIGMOID);
    }

    /** Softmax over the last axis. */
    public SequentialGraph softmax() {
        return activation(Activation.SOFTMAX);
    }

    public SequentialGraph activation(Activation a) {
        if (a == Activation.SOFTMAX) {
            op("Softmax", List.of(current), of("axis", -1L));
        } else if (a != Activation.NONE) {
            op(a.opType(), List.of(current));
        }
        return this;
    }

    /** Declares the final value as the graph output {@code outputName} (FP32) and returns the builder. */
    public OnnxModelBuilder finish(String outputName, Object... dims) {
        if (current.equals(inputName) || !model.renameLastOutput(current, outputName)) {
            model.node("Identity", List.of(current), List.of(outputName));
        }
        current = outputName;
        return model.output(outputName, DataType.FP32, dims);
    }

    private String param(String kind) {
        return "layer" + layer + "." + kind;
    }

    private void op(String opType, List<String> inputs, dev.pier.onnx.proto.AttributeProto... attributes) {
        String out = "layer" + layer + "." + opType.toLowerCase(java.util.Locale.ROOT);
        model.node(opType + "_" + layer, opType, inputs, List.of(out), attributes);
        current = out;
        layer++;
    }
}
