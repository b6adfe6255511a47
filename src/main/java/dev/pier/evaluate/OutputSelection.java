package dev.pier.evaluate;

import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelSignature;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;

/**
 * Which model output holds the class scores, and how to read a batch of them as doubles. The scores are the
 * first FP32 or FP64 output (converters such as skl2onnx put an INT64 label output first, so a plain "first
 * output" would pick the label). Pure and thread-safe.
 */
final class OutputSelection {

    private OutputSelection() {}

    static String choose(ModelSignature signature) {
        return signature.outputs().stream()
                .filter(s -> s.datatype() == DataType.FP32 || s.datatype() == DataType.FP64)
                .map(TensorSpec::name)
                .findFirst()
                .orElseThrow(() -> new InvalidInputException("the model has no FP32 or FP64 output to read class"
                        + " scores from; its outputs are "
                        + signature.outputs().stream()
                                .map(s -> s.name() + " " + s.datatype() + " " + s.shape())
                                .toList()));
    }

    /** The scores of a batch of {@code rows} examples, {@code rows × classes} row-major. */
    static double[] scores(Tensor out, int rows) {
        if (out.shape().rank() < 1
                || out.shape().dim(0) != rows
                || out.elementCount() % rows != 0
                || out.elementCount() / rows < 2) {
            throw new InvalidInputException("model output '" + out.name() + "' has shape " + out.shape()
                    + " for a batch of " + rows + "; expected [" + rows + ", classes] with at least 2 classes");
        }
        return switch (out.datatype()) {
            case FP64 -> out.doubles();
            case FP32 -> {
                float[] f = out.floats();
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    d[i] = f[i];
                }
                yield d;
            }
            default ->
                throw new InvalidInputException("model output '" + out.name() + "' is " + out.datatype()
                        + "; expected FP32 or FP64 class scores");
        };
    }
}
