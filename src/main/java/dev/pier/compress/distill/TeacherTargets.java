package dev.pier.compress.distill;

import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.data.LabeledData;
import dev.pier.runtime.InferenceEngine;
import dev.pier.runtime.ModelSession;
import dev.pier.runtime.SessionOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The teacher's soft targets {@code softmax(z_t / T)} for every training example, computed by ONNX Runtime.
 * A teacher that outputs probabilities (rows non-negative, summing to 1) is turned back into logits with
 * {@code log p} (softmax ignores the missing constant), so Pier's own models and raw-logit models both work.
 * Stateless.
 */
final class TeacherTargets {
    private static final int BATCH = 256;

    private TeacherTargets() {}

    static float[] soft(InferenceEngine engine, Path teacher, LabeledData data, double temperature) {
        int per = data.exampleSize();
        float[] out = null;
        int classes = 0;
        try (ModelSession s = engine.load(teacher, SessionOptions.defaults())) {
            String in = s.signature().inputs().get(0).name();
            String name = s.signature().outputs().get(0).name();
            for (int start = 0; start < data.count(); start += BATCH) {
                int n = Math.min(BATCH, data.count() - start);
                long[] dims = new long[data.exampleShape().rank() + 1];
                dims[0] = n;
                for (int d = 0; d < data.exampleShape().rank(); d++) {
                    dims[d + 1] = data.exampleShape().dim(d);
                }
                float[] x = Arrays.copyOfRange(data.features(), start * per, (start + n) * per);
                float[] z = s.run(Map.of(in, Tensor.ofFloats(in, Shape.of(dims), x)), List.of(name))
                        .get(0)
                        .floats();
                if (out == null) {
                    classes = z.length / n;
                    if (classes != data.numClasses()) {
                        throw new IllegalArgumentException("teacher " + teacher + " scores " + classes + " classes but "
                                + data.name() + " has " + data.numClasses());
                    }
                    out = new float[data.count() * classes];
                }
                soften(z, n, classes, temperature, out, start * classes);
            }
        }
        return out;
    }

    static void soften(float[] z, int n, int classes, double temperature, float[] out, int offset) {
        for (int r = 0; r < n; r++) {
            boolean probs = true;
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                float v = z[r * classes + c];
                probs &= v >= 0 && v <= 1;
                sum += v;
            }
            probs &= Math.abs(sum - 1) < 1e-3;
            double[] logit = new double[classes];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double v = z[r * classes + c];
                logit[c] = (probs ? Math.log(Math.max(v, 1e-30)) : v) / temperature;
                max = Math.max(max, logit[c]);
            }
            double total = 0;
            for (int c = 0; c < classes; c++) {
                logit[c] = Math.exp(logit[c] - max);
                total += logit[c];
            }
            for (int c = 0; c < classes; c++) {
                out[offset + r * classes + c] = (float) (logit[c] / total);
            }
        }
    }
}
