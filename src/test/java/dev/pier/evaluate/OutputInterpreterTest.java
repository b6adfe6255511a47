package dev.pier.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.pier.evaluate.metrics.ProbabilityMatrix;
import org.junit.jupiter.api.Test;

class OutputInterpreterTest {

    @Test
    void rowsThatAreDistributionsAreProbabilities() {
        double[] raw = {0.1, 0.9, 0.0, 0.5, 0.4996, 0.0004};
        assertThat(OutputInterpreter.detect(raw, 2, 3)).isEqualTo(OutputKind.PROBABILITIES);
        OutputInterpreter.Interpreted out = OutputInterpreter.interpret(raw, 2, 3, OutputKind.AUTO);
        assertThat(out.kind()).isEqualTo(OutputKind.PROBABILITIES);
        assertThat(out.probabilities().values()).containsExactly(raw);
    }

    @Test
    void negativeValuesOrSumsOffByMoreThanTheToleranceAreLogits() {
        assertThat(OutputInterpreter.detect(new double[] {0.2, 0.8, -0.01, 1.01}, 2, 2))
                .isEqualTo(OutputKind.LOGITS);
        assertThat(OutputInterpreter.detect(new double[] {0.2, 0.8, 0.5, 0.502}, 2, 2))
                .isEqualTo(OutputKind.LOGITS);
        assertThat(OutputInterpreter.detect(new double[] {0.2, 0.8, 0.5, 0.5009}, 2, 2))
                .isEqualTo(OutputKind.PROBABILITIES);
    }

    @Test
    void logitsGoThroughSoftmax() {
        double[] logits = {1.0, 2.0, 3.0, 1000.0, 0.0, -1000.0};
        OutputInterpreter.Interpreted out = OutputInterpreter.interpret(logits, 2, 3, OutputKind.AUTO);
        assertThat(out.kind()).isEqualTo(OutputKind.LOGITS);
        ProbabilityMatrix p = out.probabilities();
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertThat(p.get(0, 0)).isCloseTo(Math.exp(1) / z, within(1e-12));
        assertThat(p.get(0, 2)).isCloseTo(Math.exp(3) / z, within(1e-12));
        assertThat(p.get(1, 0)).isCloseTo(1.0, within(1e-12)); // no overflow from the large logit
        assertThat(p.argmax(0)).isEqualTo(2);
    }

    @Test
    void flagOverridesDetection() {
        double[] looksLikeProbabilities = {0.25, 0.75};
        OutputInterpreter.Interpreted out =
                OutputInterpreter.interpret(looksLikeProbabilities, 1, 2, OutputKind.LOGITS);
        assertThat(out.kind()).isEqualTo(OutputKind.LOGITS);
        assertThat(out.probabilities().get(0, 1))
                .isCloseTo(Math.exp(0.75) / (Math.exp(0.25) + Math.exp(0.75)), within(1e-12));
    }

    @Test
    void declaredProbabilitiesOutsideTheUnitIntervalAreRefused() {
        assertThatThrownBy(() ->
                        OutputInterpreter.interpret(new double[] {0.5, 0.5, -2, 3}, 2, 2, OutputKind.PROBABILITIES))
                .hasMessageContaining("row 1")
                .hasMessageContaining("-2.0")
                .hasMessageContaining("[0, 1]");
    }

    @Test
    void nonFiniteScoresAreRefused() {
        assertThatThrownBy(() -> OutputInterpreter.interpret(new double[] {0.5, Double.NaN}, 1, 2, OutputKind.AUTO))
                .hasMessageContaining("row 0")
                .hasMessageContaining("NaN");
    }
}
