package dev.pier.compress.auto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.Shape;
import dev.pier.compress.TestModels;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.runtime.onnx.OrtEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search never returns a candidate outside the budget, and returns the smallest one inside it. */
class AutoCompressorTest {
    @TempDir
    Path dir;

    @Test
    void choosesTheSmallestCandidateWithinTheBudget() throws Exception {
        LabeledData evaluation = TestModels.evaluation();
        LabeledData calibration = Mnist.load("mnist:train:300", MnistFetcher.defaultDir(), Shape.of(784));
        Path input = TestModels.trainedMlp();
        String hash = TestModels.sha256(input);
        Path out = dir.resolve("best.onnx");
        try (OrtEngine engine = new OrtEngine()) {
            AutoReport r = new AutoCompressor(engine)
                    .run(
                            input,
                            out,
                            evaluation,
                            calibration,
                            TestModels.quickEvaluate(),
                            new AutoOptions(0.01, AutoOptions.Objective.SIZE),
                            Optional.empty());
            assertThat(r.candidates()).hasSize(10);
            assertThat(dir.resolve("best.onnx.compress.html")).isRegularFile();
            Candidate chosen = r.candidates().stream()
                    .filter(c -> c.name().equals(r.chosen()))
                    .findFirst()
                    .orElseThrow();
            assertThat(chosen.figures().accuracy())
                    .isGreaterThanOrEqualTo(r.original().accuracy() - 0.01);
            for (Candidate c : r.candidates()) {
                if (c.figures() != null
                        && c.figures().accuracy() >= r.original().accuracy() - 0.01) {
                    assertThat(c.figures().sizeBytes())
                            .isGreaterThanOrEqualTo(chosen.figures().sizeBytes());
                }
                assertThat(c.withinBudget())
                        .isEqualTo(c.figures() != null
                                && r.original().accuracy() - c.figures().accuracy() <= 0.01 + 1e-12);
            }
            assertThat(Files.size(out)).isEqualTo(chosen.figures().sizeBytes());
            // magnitude-pruned candidates store their zeros sparse: the 90 % one is well under half the original
            Candidate pruned90 = r.candidates().stream()
                    .filter(c -> c.name().equals("prune-magnitude 0.9"))
                    .findFirst()
                    .orElseThrow();
            assertThat(pruned90.figures().sizeBytes()).isLessThan(r.original().sizeBytes() / 2);
            assertThat(pruned90.figures().parameters()).isEqualTo(r.original().parameters());
            assertThat(out.resolveSibling("best.onnx.compress.json")).isRegularFile();
            assertThat(TestModels.sha256(input)).isEqualTo(hash);
        }
    }
}
