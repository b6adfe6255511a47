package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code pier train} in-process on a slice of MNIST (no validation split), then resumes it. */
class TrainCommandTest {

    @Test
    void trainsThenResumesFromTheCheckpoint(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.onnx");
        Path log = dir.resolve("log.json");
        String[] base = {
            "train",
            "--dataset",
            "mnist:train:600",
            "--arch",
            "mlp:16",
            "--batch-size",
            "50",
            "--seed",
            "1",
            "--validation-split",
            "0",
            "--output",
            model.toString(),
            "--log",
            log.toString(),
            "--no-progress"
        };
        assertThat(PierCli.execute(concat(base, "--epochs", "1"))).isZero();
        assertThat(model).exists();
        assertThat(dir.resolve("m.onnx.checkpoints/state.json")).exists();
        JsonNode first = new ObjectMapper().readTree(log.toFile());
        assertThat(first.get("epochs")).hasSize(1);
        assertThat(first.get("trainExamples").asInt()).isEqualTo(600);
        assertThat(first.get("epochs").get(0).get("validationLoss").isNull()).isTrue();

        assertThat(PierCli.execute(concat(base, "--epochs", "2", "--resume"))).isZero();
        JsonNode resumed = new ObjectMapper().readTree(log.toFile());
        assertThat(resumed.get("epochs")).hasSize(2);
        assertThat(resumed.get("epochs").get(0)).isEqualTo(first.get("epochs").get(0));
        assertThat(resumed.get("epochs").get(1).get("epoch").asInt()).isEqualTo(2);
    }

    @Test
    void badOptionsExitWithUsageErrors(@TempDir Path dir) {
        assertThat(PierCli.execute(
                        "train",
                        "--dataset",
                        "mnist:train:10",
                        "--optimizer",
                        "rmsprop",
                        "--output",
                        dir.resolve("x.onnx").toString()))
                .isEqualTo(PierCli.EXIT_USAGE);
        assertThat(PierCli.execute(
                        "train",
                        "--dataset",
                        "nowhere/data.csv",
                        "--output",
                        dir.resolve("x.onnx").toString()))
                .isEqualTo(PierCli.EXIT_USAGE);
        assertThat(PierCli.execute(
                        "train",
                        "--dataset",
                        "mnist:train:10",
                        "--resume",
                        "--output",
                        dir.resolve("y.onnx").toString()))
                .isEqualTo(PierCli.EXIT_USAGE);
        assertThat(Files.exists(dir.resolve("x.onnx"))).isFalse();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
