package dev.pier.compress.quantize;

import dev.pier.compress.CompressionStrategy;
import dev.pier.data.LabeledData;
import dev.pier.runtime.InferenceEngine;
import java.util.function.Supplier;

/** Which quantizer a {@link QuantizeOptions} asks for: dynamic int8, fp16, or static int8 calibrated on data. Stateless. */
public final class Quantizers {
    private Quantizers() {}

    /** @param calibration loaded only for static quantization */
    public static CompressionStrategy of(
            QuantizeOptions options, InferenceEngine engine, Supplier<LabeledData> calibration) {
        return switch (options.mode()) {
            case DYNAMIC -> new DynamicQuantizer(options.perChannel());
            case FP16 -> new Fp16Converter();
            case STATIC -> new StaticQuantizer(engine, calibration.get(), options);
        };
    }
}
