package dev.pier.onnx;

import dev.pier.api.DataType;
import java.util.List;

/**
 * Ready-made graphs for common networks, with a dynamic batch dimension named {@code "batch"}. Stateless
 * and thread-safe; each call returns a new builder (add metadata or save it).
 */
public final class OnnxNetworks {
    private OnnxNetworks() {}

    /** An MLP named "mlp" with input {@code "input"} and output {@code "output"}. */
    public static OnnxModelBuilder mlp(List<DenseLayer> layers) {
        return mlp("mlp", "input", "output", layers);
    }

    /**
     * An MLP: each layer is one Gemm ({@code x · W + b}) followed by its activation (Softmax over axis 1).
     * Input {@code [batch, layers[0].inputs]} FP32, output {@code [batch, last.outputs]} FP32.
     */
    public static OnnxModelBuilder mlp(String graphName, String inputName, String outputName, List<DenseLayer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("an MLP needs at least one layer");
        }
        SequentialGraph g = SequentialGraph.start(
                graphName, inputName, DataType.FP32, "batch", layers.get(0).inputs());
        for (DenseLayer layer : layers) {
            g.dense(layer);
        }
        return g.finish(outputName, "batch", layers.get(layers.size() - 1).outputs());
    }
}
