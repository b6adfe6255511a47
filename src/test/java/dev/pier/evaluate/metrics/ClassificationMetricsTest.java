package dev.pier.evaluate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

    // Four classes; class 3 is never predicted (its precision is 0/0, which sklearn's default turns into 0).
    private static final int[] TRUE = {0, 0, 0, 1, 1, 2, 2, 2, 2, 3};
    private static final int[] PRED = {0, 0, 1, 1, 0, 2, 2, 1, 0, 0};

    @Test
    void confusionMatrixCountsTrueClassPerRow() {
        ConfusionMatrix cm = ConfusionMatrix.of(TRUE, PRED, 4);
        assertThat(cm.toArray()).isEqualTo(new long[][] {
            {2, 1, 0, 0},
            {1, 1, 0, 0},
            {1, 1, 2, 0},
            {1, 0, 0, 0}
        });
        assertThat(cm.total()).isEqualTo(10);
        assertThat(cm.correct()).isEqualTo(5);
        assertThat(cm.support(2)).isEqualTo(4);
        assertThat(cm.predictedCount(0)).isEqualTo(5);
    }

    @Test
    void perClassAndAveragesMatchHandComputedCounts() {
        ClassificationMetrics m = ClassificationMetrics.of(ConfusionMatrix.of(TRUE, PRED, 4));
        // class: tp, fp, fn, support
        // 0: tp 2, fp 3, fn 1, support 3; 1: tp 1, fp 2, fn 1, support 2
        // 2: tp 2, fp 0, fn 2, support 4; 3: tp 0, fp 0, fn 1, support 1
        double[] p = {2.0 / 5, 1.0 / 3, 2.0 / 2, 0.0};
        double[] r = {2.0 / 3, 1.0 / 2, 2.0 / 4, 0.0 / 1};
        double[] f = {4.0 / (4 + 3 + 1), 2.0 / (2 + 2 + 1), 4.0 / (4 + 0 + 2), 0.0};
        long[] support = {3, 2, 4, 1};
        for (int c = 0; c < 4; c++) {
            ClassMetrics cm = m.perClass().get(c);
            assertThat(cm.clazz()).isEqualTo(c);
            assertThat(cm.precision()).as("precision %d", c).isCloseTo(p[c], within(1e-12));
            assertThat(cm.recall()).as("recall %d", c).isCloseTo(r[c], within(1e-12));
            assertThat(cm.f1()).as("f1 %d", c).isCloseTo(f[c], within(1e-12));
            assertThat(cm.support()).isEqualTo(support[c]);
            if (p[c] + r[c] > 0) { // F1 is the harmonic mean wherever it is defined
                assertThat(cm.f1()).isCloseTo(2 * p[c] * r[c] / (p[c] + r[c]), within(1e-12));
            }
        }
        assertThat(m.accuracy()).isEqualTo(0.5);
        assertThat(m.precisionMacro()).isCloseTo((p[0] + p[1] + p[2] + p[3]) / 4, within(1e-12));
        assertThat(m.recallMacro()).isCloseTo((r[0] + r[1] + r[2] + r[3]) / 4, within(1e-12));
        assertThat(m.f1Macro()).isCloseTo((f[0] + f[1] + f[2] + f[3]) / 4, within(1e-12));
        assertThat(m.f1Weighted()).isCloseTo((3 * f[0] + 2 * f[1] + 4 * f[2] + 1 * f[3]) / 10, within(1e-12));
        assertThat(m.precisionWeighted()).isCloseTo((3 * p[0] + 2 * p[1] + 4 * p[2]) / 10, within(1e-12));
        assertThat(m.recallWeighted()).isCloseTo(m.accuracy(), within(1e-12)); // always so for single-label
    }

    @Test
    void classesNeverSeenAreListedButLeftOutOfMacroAverages() {
        // Same data scored over 6 classes: 4 and 5 appear neither as truth nor as prediction (sklearn, labels=None).
        ClassificationMetrics four = ClassificationMetrics.of(ConfusionMatrix.of(TRUE, PRED, 4));
        ClassificationMetrics six = ClassificationMetrics.of(ConfusionMatrix.of(TRUE, PRED, 6));
        assertThat(six.perClass()).hasSize(6);
        assertThat(six.perClass().get(5).f1()).isZero();
        assertThat(six.f1Macro()).isCloseTo(four.f1Macro(), within(1e-12));
        assertThat(six.f1Weighted()).isCloseTo(four.f1Weighted(), within(1e-12));
    }

    @Test
    void perfectPredictionsScoreOne() {
        int[] y = {0, 1, 2, 2, 1};
        ClassificationMetrics m = ClassificationMetrics.of(ConfusionMatrix.of(y, y, 3));
        assertThat(m.accuracy()).isEqualTo(1.0);
        assertThat(m.f1Macro()).isEqualTo(1.0);
        assertThat(m.precisionMacro()).isEqualTo(1.0);
    }

    @Test
    void rejectsOutOfRangeLabelsAndEmptyInput() {
        assertThatThrownBy(() -> ConfusionMatrix.of(new int[] {0, 4}, new int[] {0, 1}, 3))
                .hasMessageContaining("label 4 of example 1 is outside [0, 3)");
        assertThatThrownBy(() -> ClassificationMetrics.of(ConfusionMatrix.of(new int[0], new int[0], 2)))
                .hasMessageContaining("no examples");
    }
}
