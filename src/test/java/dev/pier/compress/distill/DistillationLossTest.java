package dev.pier.compress.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The loss against a plain-Java computation of α·T²·KL + (1−α)·CE. */
class DistillationLossTest {
    @Test
    void matchesAPlainJavaComputation() {
        float[] z = {2f, -1f, 0.5f, 0.1f, 0.3f, -2f};
        int[] y = {0, 2};
        float[] q = {0.6f, 0.1f, 0.3f, 0.2f, 0.5f, 0.3f};
        double t = 3;
        double alpha = 0.7;
        double expected = 0;
        for (int r = 0; r < 2; r++) {
            double ce = -logSoftmax(z, r, 1)[y[r]];
            double[] ls = logSoftmax(z, r, t);
            double kl = 0;
            for (int c = 0; c < 3; c++) {
                kl += q[r * 3 + c] * (Math.log(q[r * 3 + c]) - ls[c]);
            }
            expected += (alpha * t * t * kl + (1 - alpha) * ce) / 2;
        }
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray loss = new DistillationLoss(t, alpha)
                    .evaluate(
                            new NDList(m.create(y), m.create(q, new Shape(2, 3))),
                            new NDList(m.create(z, new Shape(2, 3))));
            assertThat((double) loss.getFloat()).isCloseTo(expected, within(1e-4));
        }
    }

    private static double[] logSoftmax(float[] z, int row, double t) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 3; c++) {
            max = Math.max(max, z[row * 3 + c] / t);
        }
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            sum += Math.exp(z[row * 3 + c] / t - max);
        }
        double[] out = new double[3];
        for (int c = 0; c < 3; c++) {
            out[c] = z[row * 3 + c] / t - max - Math.log(sum);
        }
        return out;
    }
}
