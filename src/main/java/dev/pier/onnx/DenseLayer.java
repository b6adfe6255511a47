package dev.pier.onnx;

import java.util.Arrays;

/**
 * A fully connected layer {@code y = activation(x · W + b)}.
 *
 * @param weights row-major {@code [inputs][outputs]} matrix W, {@code inputs * outputs} values
 * @param bias    {@code outputs} values
 */
public record DenseLayer(int inputs, int outputs, float[] weights, float[] bias, Activation activation) {
    public DenseLayer {
        if (inputs <= 0 || outputs <= 0) {
            throw new IllegalArgumentException("dense layer sizes must be positive, got " + inputs + "x" + outputs);
        }
        if (weights.length != (long) inputs * outputs) {
            throw new IllegalArgumentException("dense layer " + inputs + "x" + outputs + " needs "
                    + (long) inputs * outputs + " weights, got " + weights.length);
        }
        if (bias.length != outputs) {
            throw new IllegalArgumentException(
                    "dense layer " + inputs + "x" + outputs + " needs " + outputs + " biases, got " + bias.length);
        }
        weights = weights.clone();
        bias = bias.clone();
    }

    /** From a {@code [inputs][outputs]} matrix. */
    public static DenseLayer of(float[][] w, float[] bias, Activation activation) {
        int in = w.length;
        int out = in == 0 ? 0 : w[0].length;
        float[] flat = new float[in * out];
        for (int i = 0; i < in; i++) {
            if (w[i].length != out) {
                throw new IllegalArgumentException(
                        "weight matrix row " + i + " has " + w[i].length + " columns, expected " + out);
            }
            System.arraycopy(w[i], 0, flat, i * out, out);
        }
        return new DenseLayer(in, out, flat, bias, activation);
    }

    /**
     * From a PyTorch/DJL-style {@code [outputs][inputs]} weight (row-major, as {@code nn.Linear} stores
     * it), transposed here to {@code [inputs][outputs]}.
     */
    public static DenseLayer fromOutputMajor(
            int inputs, int outputs, float[] outByIn, float[] bias, Activation activation) {
        if (outByIn.length != (long) inputs * outputs) {
            throw new IllegalArgumentException(
                    "weight needs " + (long) inputs * outputs + " values, got " + outByIn.length);
        }
        float[] t = new float[outByIn.length];
        for (int o = 0; o < outputs; o++) {
            for (int i = 0; i < inputs; i++) {
                t[i * outputs + o] = outByIn[o * inputs + i];
            }
        }
        return new DenseLayer(inputs, outputs, t, bias, activation);
    }

    public float[] weights() {
        return weights.clone();
    }

    public float[] bias() {
        return bias.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenseLayer d
                && d.inputs == inputs
                && d.outputs == outputs
                && d.activation == activation
                && Arrays.equals(d.weights, weights)
                && Arrays.equals(d.bias, bias);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(weights) + Arrays.hashCode(bias);
    }

    @Override
    public String toString() {
        return "DenseLayer[" + inputs + "x" + outputs + " " + activation + "]";
    }
}
