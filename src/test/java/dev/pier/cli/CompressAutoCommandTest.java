package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.compress.TestModels;
import dev.pier.compress.auto.AutoOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pier compress auto} through the CLI after its budget parsing and request moved into
 * {@code dev.pier.compress}: the same table and files, and the same one-line error for a bad budget.
 */
class CompressAutoCommandTest {
    @TempDir
    Path dir;

    @Test
    void theBudgetIsReadAsPercentOrFraction() {
        assertThat(AutoOptions.parse("1%", AutoOptions.Objective.SIZE).maxAccuracyDrop())
                .isEqualTo(0.01);
        assertThat(AutoOptions.parse(" 0.02 ", AutoOptions.Objective.LATENCY).maxAccuracyDrop())
                .isEqualTo(0.02);
        assertThatThrownBy(() -> AutoOptions.parse("lots", AutoOptions.Objective.SIZE))
                .hasMessage("--max-accuracy-drop 'lots' is not a number; expected e.g. 1% or 0.01");
    }

    @Test
    void aBadBudgetIsOneLineAndExit2() {
        CliRun run = CliRun.of(
                "compress",
                "auto",
                "--model",
                TestModels.trainedMlp().toString(),
                "--output",
                dir.resolve("best.onnx").toString(),
                "--max-accuracy-drop",
                "lots");
        assertThat(run.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(run.err().strip())
                .isEqualTo("pier: --max-accuracy-drop 'lots' is not a number; expected e.g. 1% or 0.01");
        assertThat(dir.resolve("best.onnx")).doesNotExist();
    }

    @Test
    void autoPrintsTheCandidateTableAndWritesTheBest() {
        Path out = dir.resolve("best.onnx");
        CliRun run = CliRun.of(
                "compress",
                "auto",
                "--model",
                TestModels.trainedMlp().toString(),
                "--output",
                out.toString(),
                "--dataset",
                "mnist:test:200",
                "--calibration",
                "mnist:train:200",
                "--latency-runs",
                "5",
                "--max-accuracy-drop",
                "2%");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("quantize-dynamic")
                .contains("prune-magnitude 0.5")
                .endsWith("wrote " + out + "\n");
        assertThat(out).isRegularFile();
        assertThat(dir.resolve("best.onnx.compress.json")).isRegularFile();
    }
}
