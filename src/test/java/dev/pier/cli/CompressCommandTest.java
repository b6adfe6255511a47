package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.compress.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pier compress} end to end through the CLI: a real run writes model and report; bad input writes nothing. */
class CompressCommandTest {
    @TempDir
    Path dir;

    @Test
    void quantizeWritesTheModelAndTheReport() {
        Path input = TestModels.trainedMlp();
        String hash = TestModels.sha256(input);
        Path out = dir.resolve("m.int8.onnx");
        assertThat(PierCli.execute(
                        "compress",
                        "quantize",
                        "--model",
                        input.toString(),
                        "--mode",
                        "dynamic",
                        "--dataset",
                        "mnist:test:200",
                        "--latency-runs",
                        "5",
                        "--output",
                        out.toString()))
                .isZero();
        assertThat(TestModels.ops(out)).contains("MatMulInteger");
        assertThat(dir.resolve("m.int8.onnx.compress.json")).isRegularFile();
        assertThat(TestModels.sha256(input)).isEqualTo(hash);
    }

    @Test
    void qoperatorEntropyAndFp16ThroughTheCliWithAnHtmlReport() {
        Path input = TestModels.trainedMlp();
        Path q = dir.resolve("m.qop.onnx");
        Path html = dir.resolve("report.html");
        assertThat(PierCli.execute(
                        "compress",
                        "quantize",
                        "--model",
                        input.toString(),
                        "--mode",
                        "static",
                        "--method",
                        "entropy",
                        "--format",
                        "qoperator",
                        "--calibration",
                        "mnist:train:200",
                        "--dataset",
                        "mnist:test:200",
                        "--latency-runs",
                        "5",
                        "--report",
                        html.toString(),
                        "--output",
                        q.toString()))
                .isZero();
        assertThat(TestModels.ops(q)).contains("QLinearMatMul");
        assertThat(html).isRegularFile();
        Path h = dir.resolve("m.fp16.onnx");
        assertThat(PierCli.execute(
                        "compress",
                        "quantize",
                        "--model",
                        input.toString(),
                        "--mode",
                        "fp16",
                        "--dataset",
                        "mnist:test:200",
                        "--latency-runs",
                        "5",
                        "--output",
                        h.toString()))
                .isZero();
        assertThat(TestModels.ops(h)).contains("Cast");
        assertThat(dir.resolve("m.fp16.onnx.compress.html")).isRegularFile();
        assertThat(PierCli.execute(
                        "compress",
                        "quantize",
                        "--model",
                        input.toString(),
                        "--format",
                        "qlinear",
                        "--output",
                        dir.resolve("y.onnx").toString()))
                .isNotZero();
        assertThat(Files.exists(dir.resolve("y.onnx"))).isFalse();
    }

    @Test
    void distillTakesPierTrainsScheduleAndNamesABadOne() throws Exception {
        Path teacher = TestModels.trainedMlp();
        Path out = dir.resolve("s.onnx");
        assertThat(PierCli.execute(
                        "compress",
                        "distill",
                        "--model",
                        teacher.toString(),
                        "--student",
                        "mlp:16",
                        "--epochs",
                        "2",
                        "--schedule",
                        "cosine",
                        "--train-data",
                        "mnist:train:500",
                        "--dataset",
                        "mnist:test:200",
                        "--latency-runs",
                        "5",
                        "--output",
                        out.toString()))
                .isZero();
        JsonNode details = new ObjectMapper()
                .readTree(dir.resolve("s.onnx.compress.json").toFile())
                .path("details");
        assertThat(details.path("schedule").asText()).isEqualTo("cosine");
        assertThat(details.path("epochs").asInt()).isEqualTo(2);

        Path bad = dir.resolve("bad.onnx");
        CliRun run = CliRun.of(
                "compress",
                "distill",
                "--teacher",
                teacher.toString(),
                "--student",
                "mlp:16",
                "--schedule",
                "weekly",
                "--output",
                bad.toString());
        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("--schedule").contains("weekly").containsIgnoringCase("cosine");

        // the old name of --model still works, with a note (here the existing output is then refused)
        CliRun old = CliRun.of(
                "compress",
                "distill",
                "--teacher",
                teacher.toString(),
                "--student",
                "mlp:16",
                "--output",
                out.toString());
        assertThat(old.err()).contains("--teacher is deprecated").contains("already exists");
        assertThat(Files.exists(bad)).isFalse();
    }

    @Test
    void badOptionsFailAndWriteNothing() {
        Path input = TestModels.trainedMlp();
        Path out = dir.resolve("x.onnx");
        assertThat(PierCli.execute(
                        "compress",
                        "quantize",
                        "--model",
                        input.toString(),
                        "--mode",
                        "int4",
                        "--output",
                        out.toString()))
                .isNotZero();
        assertThat(PierCli.execute(
                        "compress",
                        "prune",
                        "--model",
                        input.toString(),
                        "--sparsity",
                        "1.5",
                        "--output",
                        out.toString()))
                .isNotZero();
        assertThat(PierCli.execute(
                        "compress",
                        "prune",
                        "--model",
                        dir.resolve("missing.onnx").toString(),
                        "--output",
                        out.toString()))
                .isNotZero();
        assertThat(Files.exists(out)).isFalse();
    }
}
