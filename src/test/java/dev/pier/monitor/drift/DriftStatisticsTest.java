package dev.pier.monitor.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DriftStatisticsTest {

    @Test
    void psiMatchesHandComputedValues() {
        // 0.25·ln 2 + 0.25·ln 1.5 = 0.25 · (0.693147 + 0.405465)
        assertThat(DriftStatistics.psi(new double[] {0.5, 0.5}, new double[] {0.25, 0.75}))
                .isCloseTo(0.274653, within(1e-6));
        assertThat(DriftStatistics.psi(new double[] {0.2, 0.3, 0.5}, new double[] {0.2, 0.3, 0.5}))
                .isZero();
        // an empty reference bin counts as 1e-4: 0.5·ln 2 + 0.4999·ln 5000 = 0.346574 + 4.257745
        assertThat(DriftStatistics.psi(new double[] {1, 0}, new double[] {0.5, 0.5}))
                .isCloseTo(4.604319, within(1e-5));
        assertThatThrownBy(() -> DriftStatistics.psi(new double[] {1}, new double[] {0.5, 0.5}))
                .hasMessageContaining("same bins")
                .hasMessageContaining("1 and 2");
    }

    @Test
    void ksStatisticOnSmallSamplesWithAndWithoutTies() {
        assertThat(DriftStatistics.ks(new double[] {1, 2, 3, 4, 5}, new double[] {6, 7, 8, 9, 10}))
                .isEqualTo(1.0);
        // ECDF gaps at 0.1, 0.2, 0.25, 0.3, 0.35: 1/3, 2/3, 1/6, 1/2, 0
        assertThat(DriftStatistics.ks(new double[] {0.1, 0.2, 0.3}, new double[] {0.25, 0.35}))
                .isCloseTo(2.0 / 3, within(1e-12));
        // ties step together: at 1 the gap is 2/3 - 1/3, at 2 it is 0
        assertThat(DriftStatistics.ks(new double[] {1, 1, 2}, new double[] {1, 2, 2}))
                .isCloseTo(1.0 / 3, within(1e-12));
        assertThat(DriftStatistics.ks(new double[] {3, 3, 3}, new double[] {3})).isZero();
    }

    @Test
    void kolmogorovTailMatchesTabulatedCriticalValues() {
        assertThat(DriftStatistics.kolmogorovQ(1.0)).isCloseTo(0.270000, within(1e-5)); // P(K <= 1) = 0.7300003
        assertThat(DriftStatistics.kolmogorovQ(1.3581)).isCloseTo(0.05, within(2e-4));
        assertThat(DriftStatistics.kolmogorovQ(1.6276)).isCloseTo(0.01, within(1e-4));
        assertThat(DriftStatistics.kolmogorovQ(0.1)).isEqualTo(1.0);
    }

    @Test
    void ksPValueIsCalibratedUnderTheNullHypothesis() {
        // two samples of one distribution: p < 0.05 should happen about 5% of the time
        Random random = new Random(3);
        int trials = 2000;
        int rejected = 0;
        for (int t = 0; t < trials; t++) {
            double[] a = random.doubles(100).sorted().toArray();
            double[] b = random.doubles(200).sorted().toArray();
            if (DriftStatistics.ksPValue(DriftStatistics.ks(a, b), a.length, b.length) < 0.05) {
                rejected++;
            }
        }
        assertThat(rejected / (double) trials).isBetween(0.03, 0.07);
        // and a shifted sample is rejected
        double[] a = random.doubles(200).sorted().toArray();
        double[] b = Arrays.stream(random.doubles(200).toArray())
                .map(x -> x + 0.3)
                .sorted()
                .toArray();
        assertThat(DriftStatistics.ksPValue(DriftStatistics.ks(a, b), 200, 200)).isLessThan(1e-6);
    }
}
