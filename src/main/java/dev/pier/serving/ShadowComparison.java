package dev.pier.serving;

import dev.pier.api.DataType;
import dev.pier.api.InferResponse;
import dev.pier.api.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs how a shadow version's answer compares with the answer the client got (the largest absolute difference
 * of FP32 outputs, or that they differ in shape or type). The shadow's answer is never returned. Stateless.
 */
final class ShadowComparison {
    private static final Logger LOG = LoggerFactory.getLogger(ShadowComparison.class);

    private ShadowComparison() {}

    static void log(String model, InferResponse served, InferResponse shadow, Throwable failure) {
        if (failure != null) {
            LOG.warn(
                    "shadow: model '{}': shadow version failed where version {} answered: {}",
                    model,
                    served.version(),
                    failure.toString());
            return;
        }
        double maxDiff = 0;
        boolean sameShape = served.outputs().size() == shadow.outputs().size();
        for (int i = 0; sameShape && i < served.outputs().size(); i++) {
            Tensor a = served.outputs().get(i);
            Tensor b = shadow.outputs().get(i);
            sameShape = a.shape().equals(b.shape()) && a.datatype() == b.datatype();
            if (sameShape && a.datatype() == DataType.FP32) {
                float[] x = a.floats();
                float[] y = b.floats();
                for (int k = 0; k < x.length; k++) {
                    maxDiff = Math.max(maxDiff, Math.abs(x[k] - y[k]));
                }
            }
        }
        LOG.info(
                "shadow: model '{}' served by version {}, shadow version {}: {}",
                model,
                served.version(),
                shadow.version(),
                sameShape ? "max |difference| " + maxDiff : "outputs differ in shape or type");
    }
}
