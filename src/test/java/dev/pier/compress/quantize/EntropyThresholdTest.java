package dev.pier.compress.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Entropy calibration on distributions whose right clipping point is known: a uniform bulk with far outliers
 * must be clipped at the bulk's edge, a uniform distribution not at all, and a Gaussian with one far outlier
 * a few standard deviations out, nowhere near the outlier that min-max would use.
 */
class EntropyThresholdTest {

    @Test
    void uniformBulkWithFarOutliersIsClippedAtTheBulkEdge() {
        SplittableRandom r = new SplittableRandom(1);
        float[] v = new float[200_010];
        for (int i = 0; i < 200_000; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        for (int i = 200_000; i < v.length; i++) {
            v[i] = i % 2 == 0 ? 8f : -8f;
        }
        float t = EntropyThreshold.threshold(v, 128);
        assertThat(t).isBetween(0.95f, 1.1f);
    }

    @Test
    void uniformDistributionIsNotClipped() {
        SplittableRandom r = new SplittableRandom(2);
        float[] v = new float[200_000];
        float max = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextDouble();
            max = Math.max(max, v[i]);
        }
        assertThat(EntropyThreshold.threshold(v, 255)).isGreaterThan(0.95f * max);
    }

    @Test
    void gaussianWithOneOutlierIsClippedAFewSigmasOut() {
        SplittableRandom r = new SplittableRandom(3);
        float[] v = new float[300_001];
        for (int i = 0; i < v.length - 1; i += 2) {
            double u = 1 - r.nextDouble();
            double w = r.nextDouble();
            double m = Math.sqrt(-2 * Math.log(u));
            v[i] = (float) (m * Math.cos(2 * Math.PI * w));
            v[i + 1] = (float) (m * Math.sin(2 * Math.PI * w));
        }
        v[v.length - 1] = 40f;
        float t = EntropyThreshold.threshold(v, 128);
        assertThat(t).isBetween(2.5f, 8f);
    }

    @Test
    void divergenceIsZeroWhenQuantizationLosesNothing() {
        long[] hist = new long[256];
        java.util.Arrays.fill(hist, 10);
        // one level per bin: Q reproduces P exactly
        assertThat(EntropyThreshold.divergence(hist, 256, 0, 256))
                .isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-12));
        // merging bins of different heights loses information
        hist[1] = 1000;
        assertThat(EntropyThreshold.divergence(hist, 256, 0, 128)).isGreaterThan(0.01);
    }
}
