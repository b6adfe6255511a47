package dev.pier.compress.quantize;

/**
 * How to quantize. Immutable.
 *
 * @param mode       DYNAMIC (weights int8, activations quantized at run time; MatMul/Gemm only) or STATIC
 *                   (QDQ around weights and activations, ranges calibrated); default STATIC
 * @param method     activation range estimate for STATIC: MINMAX (default) or PERCENTILE
 * @param percentile for PERCENTILE: the upper percentile kept (the lower one is {@code 100 - percentile});
 *                   default 99.99
 * @param perChannel one weight scale per output channel instead of one per tensor; default false
 */
public record QuantizeOptions(Mode mode, Method method, double percentile, boolean perChannel) {
    public enum Mode { DYNAMIC, STATIC }

    public enum Method { MINMAX, PERCENTILE }

    public QuantizeOptions {
        if (mode == null || method == null) {
            throw new IllegalArgumentException("quantization mode and method are required");
        }
        if (!(percentile > 50 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (50, 100], got " + percentile);
        }
    }

    public static QuantizeOptions defaults() {
        return new QuantizeOptions(Mode.STATIC, Method.MINMAX, 99.99, false);
    }
}
