package dev.pier.train;

/**
 * One layer of a sequential network, independent of DJL and ONNX: the common vocabulary that the network
 * builder, the ONNX exporter and the ONNX importer all speak. Immutable values.
 */
public sealed interface LayerSpec {

    /** Fully connected: {@code y = x Wᵀ + b}, input flattened to {@code [N, features]} beforehand. */
    record Dense(int units) implements LayerSpec {
        public Dense {
            positive("dense units", units);
        }
    }

    /** 2-D convolution over NCHW input, square kernel, same stride and padding on both axes. */
    record Conv2d(int filters, int kernel, int stride, int padding) implements LayerSpec {
        public Conv2d {
            positive("conv2d filters", filters);
            positive("conv2d kernel", kernel);
            positive("conv2d stride", stride);
            if (padding < 0) {
                throw new IllegalArgumentException("conv2d padding must be >= 0, got " + padding);
            }
        }
    }

    /** Max or average pooling over NCHW input; an average counts padded zeros (DJL's PyTorch engine always does). */
    record Pool(PoolKind kind, int kernel, int stride, int padding) implements LayerSpec {
        public Pool {
            positive("pool kernel", kernel);
            positive("pool stride", stride);
            if (padding < 0) {
                throw new IllegalArgumentException("pool padding must be >= 0, got " + padding);
            }
        }
    }

    /** Batch normalisation over axis 1 (features or channels). */
    record BatchNorm(float epsilon, float momentum) implements LayerSpec {
        public static final float DEFAULT_EPSILON = 1e-5f;
        public static final float DEFAULT_MOMENTUM = 0.9f;
    }

    /** Dropout while training; the identity at inference (and in the exported ONNX graph). */
    record Dropout(float rate) implements LayerSpec {
        public Dropout {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
            }
        }
    }

    /** Flattens everything but the batch axis. */
    record Flatten() implements LayerSpec {}

    /** An element-wise (or, for softmax, per-row) activation. */
    record Activation(ActivationKind kind) implements LayerSpec {}

    enum PoolKind {
        MAX,
        AVG
    }

    enum ActivationKind {
        RELU,
        TANH,
        SIGMOID,
        SOFTMAX
    }

    private static void positive(String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be > 0, got " + value);
        }
    }
}
