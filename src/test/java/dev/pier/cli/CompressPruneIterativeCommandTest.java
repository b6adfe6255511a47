package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.compress.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pier compress prune --schedule iterative} through the CLI: per-layer targets and cycles in the report. */
class CompressPruneIterativeCommandTest {
    @TempDir
    Path dir;

    @Test
    void iterativeScheduleWritesEveryCycleAndPerLayerSparsity() throws Exception {
        Path input = TestModels.trainedMlp();
        Path out = dir.resolve("p.onnx");
        assertThat(PierCli.execute(
                        "compress",
                        "prune",
                        "--model",
                        input.toString(),
                        "--method",
                        "magnitude",
                        "--sparsity",
                        "0.8",
                        "--layer-sparsity",
                        "2=0.5",
                        "--schedule",
                        "iterative",
                        "--steps",
                        "2",
                        "--retrain-epochs",
                        "1",
                        "--retrain-data",
                        "mnist:train:500",
                        "--dataset",
                        "mnist:test:200",
                        "--latency-runs",
                        "5",
                        "--output",
                        out.toString()))
                .isZero();
        JsonNode r =
                new ObjectMapper().readTree(dir.resolve("p.onnx.compress.json").toFile());
        assertThat(r.at("/details/schedule").asText()).isEqualTo("cubic");
        assertThat(r.at("/details/cycles")).hasSize(2);
        // cycle 1 of 2 on the cubic ramp: 1 - (1/2)^3 = 87.5 % of each target
        assertThat(r.at("/details/cycles/0/targetSparsity").asDouble())
                .isCloseTo(0.8 * 0.875, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.at("/layers/0/sparsity").asDouble()).isGreaterThanOrEqualTo(0.8);
        assertThat(r.at("/layers/1/sparsity").asDouble())
                .isGreaterThanOrEqualTo(0.5)
                .isLessThan(0.51);
    }

    @Test
    void badScheduleOptionsFailAndWriteNothing() {
        Path input = TestModels.trainedMlp();
        Path out = dir.resolve("x.onnx");
        assertThat(PierCli.execute(
                        "compress",
                        "prune",
                        "--model",
                        input.toString(),
                        "--schedule",
                        "weekly",
                        "--output",
                        out.toString()))
                .isNotZero();
        assertThat(PierCli.execute(
                        "compress",
                        "prune",
                        "--model",
                        input.toString(),
                        "--schedule",
                        "iterative",
                        "--output",
                        out.toString()))
                .as("iterative without --retrain-epochs")
                .isNotZero();
        assertThat(PierCli.execute(
                        "compress",
                        "prune",
                        "--model",
                        input.toString(),
                        "--method",
                        "structured",
                        "--layer-sparsity",
                        "1=0.5",
                        "--output",
                        out.toString()))
                .isNotZero();
        assertThat(Files.exists(out)).isFalse();
    }
}
