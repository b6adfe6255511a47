package dev.pier.train;

import static dev.pier.onnx.OnnxAttributes.of;
import static dev.pier.onnx.OnnxAttributes.ofInts;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.pier.api.DataType;
import dev.pier.data.FeatureScaling;
import dev.pier.onnx.OnnxModelBuilder;
import dev.pier.onnx.OnnxModelFiles;
import dev.pier.onnx.proto.ModelProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a trained {@link DjlNetwork} as an ONNX inference graph with Pier's {@link OnnxModelBuilder}:
 * walks the DJL blocks alongside their {@link LayerSpec}s (pooling and activation blocks are lambdas that
 * cannot be introspected) and copies each block's parameters into initializers. The graph has one input
 * {@value #INPUT} of shape {@code [batch, ...example shape]} (batch dynamic) and one output
 * {@value #OUTPUT}, the softmax of the network's logits, {@code [batch, classes]}. A network trained on scaled
 * features ({@link DjlNetwork#inputScaling()}) starts with the same scaling as Sub and Div nodes. Opset 17; Dropout is
 * dropped and BatchNormalization runs in inference mode, as in the network's own inference forward pass.
 * Stateless.
 */
public final class OnnxExporter {
    public static final String INPUT = "input";
    public static final String OUTPUT = "probabilities";
    public static final long OPSET = 17;

    private OnnxExporter() {}

    /** Exports atomically to {@code output}; returns it. */
    public static Path export(DjlNetwork net, Path output) {
        return OnnxModelFiles.save(build(net), output);
    }

    /** Builds the ONNX model in memory. */
    public static ModelProto build(DjlNetwork net) {
        Architecture arch = net.architecture();
        List<Block> blocks = net.block().getChildren().values();
        if (blocks.size() != arch.layers().size()) {
            throw new IllegalStateException("network has " + blocks.size() + " blocks for "
                    + arch.layers().size() + " layers");
        }
        Object[] inputDims = new Object[net.exampleShape().rank() + 1];
        inputDims[0] = "batch";
        for (int i = 0; i < net.exampleShape().rank(); i++) {
            inputDims[i + 1] = net.exampleShape().dim(i);
        }
        OnnxModelBuilder model = OnnxModelBuilder.create(safeName(arch.name()))
                .opset(OPSET)
                .metadata("pier.architecture", arch.name())
                .input(INPUT, DataType.FP32, inputDims);
        String current = INPUT;
        if (net.inputScaling() != null) {
            current = scaleInput(model, net.inputScaling());
        }
        int rank = inputDims.length;
        long classes = net.block()
                .getOutputShapes(new ai.djl.ndarray.types.Shape[] {DjlNetwork.batchShape(net.exampleShape(), 1)})[0]
                .get(1);
        for (int i = 0; i < blocks.size(); i++) {
            LayerSpec layer = arch.layers().get(i);
            Block block = blocks.get(i);
            String out = "layer" + i + "." + kind(layer);
            String p = "layer" + i + ".";
            switch (layer) {
                case LayerSpec.Dense d -> {
                    if (rank != 2) {
                        throw new IllegalArgumentException("layer " + (i + 1) + " (dense) receives rank-" + rank
                                + " values; put a flatten layer before it so the ONNX Gemm gets [batch, features]");
                    }
                    Parameter w = param(block, "weight");
                    model.initializer(
                            p + "weight", w.getShape().getShape(), w.getArray().toFloatArray());
                    model.initializer(
                            p + "bias",
                            new long[] {d.units()},
                            param(block, "bias").getArray().toFloatArray());
                    model.node(
                            "Gemm_" + i,
                            "Gemm",
                            List.of(current, p + "weight", p + "bias"),
                            List.of(out),
                            of("transB", 1L));
                }
                case LayerSpec.Conv2d c -> {
                    Parameter w = param(block, "weight");
                    model.initializer(
                            p + "weight", w.getShape().getShape(), w.getArray().toFloatArray());
                    model.initializer(
                            p + "bias",
                            new long[] {c.filters()},
                            param(block, "bias").getArray().toFloatArray());
                    model.node(
                            "Conv_" + i,
                            "Conv",
                            List.of(current, p + "weight", p + "bias"),
                            List.of(out),
                            ofInts("kernel_shape", c.kernel(), c.kernel()),
                            ofInts("strides", c.stride(), c.stride()),
                            ofInts("pads", c.padding(), c.padding(), c.padding(), c.padding()));
                }
                case LayerSpec.Pool pool -> {
                    List<dev.pier.onnx.proto.AttributeProto> attrs = new ArrayList<>(List.of(
                            ofInts("kernel_shape", pool.kernel(), pool.kernel()),
                            ofInts("strides", pool.stride(), pool.stride()),
                            ofInts("pads", pool.padding(), pool.padding(), pool.padding(), pool.padding())));
                    if (pool.kind() == LayerSpec.PoolKind.AVG) {
                        attrs.add(of("count_include_pad", 1L)); // DJL's PyTorch engine always averages padded zeros in
                    }
                    String op = pool.kind() == LayerSpec.PoolKind.MAX ? "MaxPool" : "AveragePool";
                    model.node(
                            op + "_" + i,
                            op,
                            List.of(current),
                            List.of(out),
                            attrs.toArray(dev.pier.onnx.proto.AttributeProto[]::new));
                }
                case LayerSpec.BatchNorm bn -> {
                    for (String[] names : BATCH_NORM_PARAMS) {
                        Parameter q = param(block, names[0]);
                        model.initializer(
                                p + names[1],
                                q.getShape().getShape(),
                                q.getArray().toFloatArray());
                    }
                    model.node(
                            "BatchNormalization_" + i,
                            "BatchNormalization",
                            List.of(current, p + "scale", p + "bias", p + "mean", p + "var"),
                            List.of(out),
                            of("epsilon", bn.epsilon()));
                }
                case LayerSpec.Dropout d -> {
                    continue; // identity at inference
                }
                case LayerSpec.Flatten f -> {
                    model.node("Flatten_" + i, "Flatten", List.of(current), List.of(out), of("axis", 1L));
                    rank = 2;
                }
                case LayerSpec.Activation a -> {
                    String op = switch (a.kind()) {
                        case RELU -> "Relu";
                        case TANH -> "Tanh";
                        case SIGMOID -> "Sigmoid";
                        case SOFTMAX -> "Softmax";
                    };
                    if (a.kind() == LayerSpec.ActivationKind.SOFTMAX) {
                        model.node(op + "_" + i, op, List.of(current), List.of(out), of("axis", 1L));
                    } else {
                        model.node(op + "_" + i, op, List.of(current), List.of(out));
                    }
                }
            }
            current = out;
        }
        model.node("Softmax_output", "Softmax", List.of(current), List.of(OUTPUT), of("axis", 1L));
        return model.output(OUTPUT, DataType.FP32, "batch", classes).build();
    }

    /**
     * Prepends {@code (input - shift) / scale}, the scaling the training data went through, so the exported model
     * takes raw features (as a scikit-learn Pipeline's StandardScaler or a Keras Normalization layer does).
     */
    private static String scaleInput(OnnxModelBuilder model, FeatureScaling scaling) {
        long[] dims = {scaling.columns()};
        model.initializer(SCALING_SHIFT, dims, scaling.shift());
        model.initializer(SCALING_SCALE, dims, scaling.scale());
        model.metadata(
                "pier.preprocessing", "input - " + SCALING_SHIFT + ", then / " + SCALING_SCALE + " (per feature)");
        model.node("Sub_scaling", "Sub", List.of(INPUT, SCALING_SHIFT), List.of("scaling.centered"));
        model.node("Div_scaling", "Div", List.of("scaling.centered", SCALING_SCALE), List.of("scaling.scaled"));
        return "scaling.scaled";
    }

    static final String SCALING_SHIFT = "scaling.shift";
    static final String SCALING_SCALE = "scaling.scale";

    /** DJL BatchNorm parameter names and the ONNX input roles they fill. */
    static final String[][] BATCH_NORM_PARAMS = {
        {"gamma", "scale"}, {"beta", "bias"}, {"runningMean", "mean"}, {"runningVar", "var"}
    };

    static Parameter param(Block block, String name) {
        Parameter p = block.getParameters().get(name);
        if (p == null || !p.isInitialized()) {
            throw new IllegalStateException("block " + block + " has no initialised parameter '" + name + "'; it has "
                    + block.getParameters().keys());
        }
        return p;
    }

    private static String kind(LayerSpec layer) {
        return layer.getClass().getSimpleName().toLowerCase();
    }

    private static String safeName(String s) {
        return s.replaceAll("[^A-Za-z0-9_.:-]", "_");
    }
}
