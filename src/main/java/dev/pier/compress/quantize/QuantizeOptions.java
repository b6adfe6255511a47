package dev.pier.compress.quantize;

/**
 * How to quantize. Immutable.
 *
 * @param mode       DYNAMIC (weights int8, activations quantized at run time; MatMul/Gemm only), STATIC
 *                   (weights and activations int8, ranges calibrated) or FP16 (half-precision weights and
 *                   arithmetic, FP32 at the edges); default STATIC
 * @param method     activation range estimate for STATIC: MINMAX (default), PERCENTILE or ENTROPY (the
 *                   clipping threshold with the smallest KL divergence, as TensorRT calibrates)
 * @param percentile for PERCENTILE: the upper percentile kept (the lower one is {@code 100 - percentile});
 *                   default 99.99
 * @param perChannel one weight scale per output channel instead of one per tensor; default false
 * @param format     STATIC graph form: QDQ (QuantizeLinear/DequantizeLinear pairs ONNX Runtime fuses; default)
 *                   or QOPERATOR (explicit QLinearConv / QLinearMatMul nodes)
 */
public record QuantizeOptions(Mode mode, Method method, double percentile, boolean perChannel, Format format) {
    public enum Mode {
        DYNAMIC,
        STATIC,
        FP16
    }

    public enum Method {
        MINMAX,
        PERCENTILE,
        ENTROPY
    }

    public enum Format {
        QDQ,
        QOPERATOR
    }

    public QuantizeOptions {
        if (mode == null || method == null || format == null) {
            throw new IllegalArgumentException("quantization mode, method and format are required");
        }
        if (!(percentile > 50 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (50, 100], got " + percentile);
        }
    }

    /** QDQ format. */
    public QuantizeOptions(Mode mode, Method method, double percentile, boolean perChannel) {
        this(mode, method, percentile, perChannel, Format.QDQ);
    }

    public static QuantizeOptions defaults() {
        return new QuantizeOptions(Mode.STATIC, Method.MINMAX, 99.99, false, Format.QDQ);
    }

    public QuantizeOptions withFormat(Format f) {
        return new QuantizeOptions(mode, method, percentile, perChannel, f);
    }
}
