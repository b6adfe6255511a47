package dev.pier.evaluate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Top-k, log loss, calibration and percentiles on tiny inputs whose answers are worked out by hand. */
class ScoreMetricsTest {

    private static ProbabilityMatrix rows(double[]... rows) {
        int k = rows[0].length;
        double[] flat = new double[rows.length * k];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * k, k);
        }
        return new ProbabilityMatrix(rows.length, k, flat);
    }

    @Test
    void topKCountsTrueClassAmongHighestScores() {
        ProbabilityMatrix p = rows(
                new double[] {0.5, 0.3, 0.2, 0.0}, // true 1: rank 1
                new double[] {0.1, 0.2, 0.3, 0.4}, // true 0: rank 3
                new double[] {0.7, 0.1, 0.1, 0.1}, // true 0: rank 0
                new double[] {0.25, 0.25, 0.25, 0.25}); // true 1: ties, classes 3 and 2 rank ahead → rank 2
        int[] y = {1, 0, 0, 1};
        assertThat(TopK.accuracy(p, y, 1)).isEqualTo(1.0 / 4);
        assertThat(TopK.accuracy(p, y, 2)).isEqualTo(2.0 / 4);
        assertThat(TopK.accuracy(p, y, 3)).isEqualTo(3.0 / 4);
        assertThat(TopK.accuracy(p, y, 4)).isEqualTo(1.0);
        assertThat(TopK.accuracy(p, y, 9)).isEqualTo(1.0);
        assertThat(TopK.rank(p, 3, 1)).isEqualTo(2);
        assertThatThrownBy(() -> TopK.accuracy(p, y, 0)).hasMessageContaining("k >= 1");
    }

    @Test
    void logLossClipsAtFloat64Epsilon() {
        double eps = 2.220446049250313e-16; // np.finfo(np.float64).eps
        assertThat(LogLoss.EPS).isEqualTo(eps);
        ProbabilityMatrix p = rows(
                new double[] {0.7, 0.3}, new double[] {0.8, 0.2}, new double[] {0.0, 1.0}, new double[] {1.0, 0.0});
        int[] y = {0, 1, 1, 1};
        double expected = -(Math.log(0.7) + Math.log(0.2) + Math.log(1 - eps) + Math.log(eps)) / 4;
        assertThat(LogLoss.of(p, y)).isCloseTo(expected, within(1e-12));
        assertThat(LogLoss.of(p, y)).isCloseTo((0.35667494 + 1.60943791 + 36.04365339) / 4, within(1e-7));
    }

    @Test
    void eceIsCountWeightedGapBetweenAccuracyAndConfidence() {
        // 15 bins of width 1/15: 0.95 and 0.99 → bin 14, 0.6 → bin 8 (0.5333, 0.6], 0.2 → bin 2 (0.1333, 0.2]
        double[] conf = {0.95, 0.99, 0.95, 0.6, 0.6, 0.2};
        boolean[] ok = {true, true, false, true, false, false};
        Calibration c = Calibration.of(conf, ok, 15);
        assertThat(c.bins()).hasSize(15);
        ReliabilityBin top = c.bins().get(14);
        assertThat(top.count()).isEqualTo(3);
        assertThat(top.accuracy()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(top.meanConfidence()).isCloseTo((0.95 + 0.99 + 0.95) / 3, within(1e-12));
        assertThat(c.bins().get(8).count()).isEqualTo(2);
        assertThat(c.bins().get(2).count()).isEqualTo(1);
        double expected = 3.0 / 6 * Math.abs(2.0 / 3 - (0.95 + 0.99 + 0.95) / 3)
                + 2.0 / 6 * Math.abs(0.5 - 0.6)
                + 1.0 / 6 * Math.abs(0.0 - 0.2);
        assertThat(c.ece()).isCloseTo(expected, within(1e-12));
    }

    @Test
    void binEdgesAreUpperInclusive() {
        assertThat(Calibration.binOf(1.0, 15)).isEqualTo(14);
        assertThat(Calibration.binOf(0.0, 15)).isZero();
        assertThat(Calibration.binOf(1.0 / 15, 15)).isZero();
        assertThat(Calibration.binOf(Math.nextUp(1.0 / 15), 15)).isEqualTo(1);
        assertThat(Calibration.binOf(0.2, 10)).isEqualTo(1); // 0.2 is the upper edge of (0.1, 0.2]
        for (int i = 1; i <= 15; i++) {
            double edge = (double) i / 15;
            assertThat(Calibration.binOf(edge, 15)).as("edge %d/15", i).isEqualTo(i - 1);
        }
    }

    @Test
    void perfectlyCalibratedHasZeroEce() {
        Calibration c = Calibration.of(new double[] {1.0, 1.0, 1.0}, new boolean[] {true, true, true}, 15);
        assertThat(c.ece()).isZero();
        assertThatThrownBy(() -> Calibration.of(new double[] {1.5}, new boolean[] {true}, 15))
                .hasMessageContaining("outside [0, 1]");
    }

    @Test
    void percentilesInterpolateLinearlyLikeNumpy() {
        double[] x = {4, 1, 3, 2};
        assertThat(Percentiles.of(x, 50)).isEqualTo(2.5);
        assertThat(Percentiles.of(x, 99)).isCloseTo(3.97, within(1e-12)); // pos 2.97 between 3 and 4
        assertThat(Percentiles.of(x, 0)).isEqualTo(1);
        assertThat(Percentiles.of(x, 100)).isEqualTo(4);
        assertThat(Percentiles.of(new double[] {7}, 99)).isEqualTo(7);
    }
}
