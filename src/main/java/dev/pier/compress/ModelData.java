package dev.pier.compress;

import dev.pier.api.Shape;
import dev.pier.data.Datasets;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.onnx.OnnxModel;
import dev.pier.onnx.OnnxValueInfo;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads a dataset spec in the layout a model's input expects: MNIST as {@code [784]} for a rank-2 input,
 * {@code [1,28,28]} or {@code [28,28,1]} for a rank-4 one. Other datasets load as their loaders define.
 * Stateless.
 */
public final class ModelData {
    private ModelData() {
    }

    public static LabeledData load(String spec, OnnxModel model, Path mnistDir) throws IOException {
        Shape shape = null;
        if (Mnist.handles(spec)) {
            OnnxValueInfo in = model.summary().inputs().get(0);
            Shape declared = in.shape();
            shape = declared == null || declared.rank() != 4 ? Shape.of(784)
                    : declared.dim(3) == 1 ? Shape.of(28, 28, 1) : Shape.of(1, 28, 28);
        }
        return Datasets.load(spec, new Datasets.Options(mnistDir, shape, null, null));
    }
}
