package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 19 item 10: one overwrite rule, bare-number durations. */
class SmallDeadEndsTest {

    @TempDir
    Path dir;

    @Test
    void trainCompressAndExampleModelAllRefuseAnExistingOutputUnlessOverwrite() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            lines.add((i % 2) + "," + (i % 2 * 3 + 0.1 * (i % 5)) + "," + (i % 2));
        }
        Path csv = dir.resolve("t.csv");
        Files.write(csv, lines);
        Path model = dir.resolve("m.onnx");
        String[] train = {
            "train",
            "--dataset",
            "csv:" + csv,
            "--arch",
            "mlp:4",
            "--epochs",
            "1",
            "--no-progress",
            "--no-profile",
            "--output",
            model.toString()
        };
        assertThat(CliRun.of(train).exit()).isZero();
        byte[] first = Files.readAllBytes(model);
        CliRun again = CliRun.of(train);
        assertThat(again.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(again.err()).contains(model + " already exists; give --overwrite to replace it");
        assertThat(Files.readAllBytes(model)).isEqualTo(first);
        String[] overwrite = java.util.Arrays.copyOf(train, train.length + 1);
        overwrite[train.length] = "--overwrite";
        assertThat(CliRun.of(overwrite).exit()).isZero();

        Path existing = Files.writeString(dir.resolve("q.onnx"), "keep me");
        CliRun quantize = CliRun.of(
                "compress",
                "quantize",
                "--model",
                model.toString(),
                "--mode",
                "dynamic",
                "--output",
                existing.toString());
        assertThat(quantize.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(quantize.err()).contains("already exists; give --overwrite");
        assertThat(existing).hasContent("keep me");

        Path repo = dir.resolve("repo");
        assertThat(CliRun.of("example-model", "--output", repo.toString()).exit())
                .isZero();
        CliRun twice = CliRun.of("example-model", "--output", repo.toString());
        assertThat(twice.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(twice.err()).contains("give --overwrite");
        assertThat(CliRun.of("example-model", "--output", repo.toString(), "--overwrite")
                        .exit())
                .isZero();
    }

    @Test
    void aBareNumberIsSeconds() {
        assertThat(new DurationConverter().convert("2")).isEqualTo(Duration.ofSeconds(2));
        assertThat(new DurationConverter().convert("1.5")).isEqualTo(Duration.ofMillis(1500));
        assertThat(new DurationConverter().convert("250ms")).isEqualTo(Duration.ofMillis(250));
    }
}
