package dev.pier.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.data.MnistFetcher;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's promises on real MNIST (small subsets, one or two epochs): the first run publishes version 1; a rerun
 * with nothing changed does no work; a changed training parameter reruns train and what follows, not data; a candidate
 * worse than the served version is refused by {@code baseline: serving} and nothing is published.
 */
class PipelineRunTest {
    static final String PIPELINE = """
            name: digits
            data:    {train: "mnist:train:1200", test: "mnist:test:300", validation_split: 0.2}
            train:   {arch: "mlp:16", epochs: 1, optimizer: adam, lr: 0.003, batch_size: 32, seed: 7}
            gates:
              accuracy: {min: 0.5}
              size_mb: {max: 2}
              baseline: serving
            publish: {repository: models, model: digits}
            """;

    @TempDir
    Path dir;

    final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    RunRecord run(String yaml, boolean dryRun) throws Exception {
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, yaml);
        return new PipelineRunner()
                .run(new PipelineRunner.Options(
                        file,
                        Optional.empty(),
                        Optional.empty(),
                        dryRun,
                        false,
                        Optional.empty(),
                        MnistFetcher.defaultDir(),
                        new PrintStream(progress, true, StandardCharsets.UTF_8),
                        false));
    }

    static Map<String, String> statuses(RunRecord r) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        r.stages().forEach(s -> m.put(s.stage(), s.status()));
        return m;
    }

    List<String> versions() throws Exception {
        try (var s = Files.list(dir.resolve("models/digits"))) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("\\d+"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void publishesThenDoesOnlyTheWorkWhoseInputsChangedAndRefusesAWorseModel() throws Exception {
        RunRecord first = run(PIPELINE, false);
        assertThat(first.status()).isEqualTo("succeeded");
        assertThat(first.published()).containsEntry("version", 1L);
        assertThat(versions()).containsExactly("1");
        Path v1 = dir.resolve("models/digits/1");
        assertThat(v1.resolve("model.onnx")).isRegularFile();
        assertThat(v1.resolve("profile.json")).isRegularFile();
        assertThat(Files.readString(v1.resolve("lineage.json"))).contains("\"run_id\" : \"" + first.runId() + "\"");
        assertThat(dir.resolve("runs").resolve(first.runId()).resolve("run.json"))
                .isRegularFile();
        assertThat(Files.readString(dir.resolve("runs").resolve(first.runId()).resolve("run.html")))
                .contains("<table>")
                .doesNotContain("<script");
        assertThat(statuses(first))
                .containsEntry("data", "ran")
                .containsEntry("train", "ran")
                .containsEntry("compress", "skipped")
                .containsEntry("gates", "ran")
                .containsEntry("publish", "ran");
        assertThat(first.gates())
                .extracting(GateResult::gate)
                .containsExactly("accuracy", "size_mb"); // nothing served yet

        // nothing changed: no stage runs, nothing is published
        Path trainRecord = dir.resolve(".pier/cache/train/stage.json");
        String before = Files.readString(trainRecord);
        RunRecord again = run(PIPELINE, false);
        assertThat(statuses(again).values()).allMatch(s -> s.equals("up_to_date") || s.equals("skipped"));
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("every stage was up to date");
        assertThat(Files.readString(trainRecord)).isEqualTo(before);
        assertThat(versions()).containsExactly("1");

        // the plan for a changed parameter names it, and runs nothing
        String twoEpochs = PIPELINE.replace("epochs: 1", "epochs: 2");
        RunRecord plan = run(twoEpochs, true);
        assertThat(plan.stages().get(1).status()).isEqualTo("would_run");
        assertThat(plan.stages().get(1).reason()).isEqualTo("epochs 1 -> 2");
        assertThat(Files.readString(trainRecord)).isEqualTo(before);

        // changed epochs: train and everything after it rerun, data does not
        RunRecord second = run(twoEpochs, false);
        assertThat(statuses(second))
                .containsEntry("data", "up_to_date")
                .containsEntry("train", "ran")
                .containsEntry("evaluate", "ran")
                .containsEntry("gates", "ran")
                .containsEntry("publish", "ran");
        assertThat(second.published()).containsEntry("version", 2L);
        assertThat(((Number) second.baseline().get("version")).longValue()).isEqualTo(1L);
        assertThat(second.gates()).extracting(GateResult::gate).contains("baseline");

        // a far worse candidate: refused by the served version's figures, nothing published
        String worse = twoEpochs
                .replace("epochs: 2", "epochs: 1")
                .replace("lr: 0.003", "lr: 0.000001")
                .replace("  accuracy: {min: 0.5}\n", "");
        assertThatThrownBy(() -> run(worse, false))
                .isInstanceOf(GateFailure.class)
                .hasMessageContaining("nothing published")
                .hasMessageContaining("served version 2's accuracy");
        assertThat(versions()).containsExactly("1", "2");
        RunRecord refused = new RunStore(dir).read("latest");
        assertThat(refused.status()).isEqualTo("gate_failed");
        assertThat(refused.published()).isNull();
        assertThat(statuses(refused)).containsEntry("publish", "not_run");
        GateResult baseline = refused.gates().stream()
                .filter(g -> g.gate().equals("baseline"))
                .findFirst()
                .orElseThrow();
        assertThat(baseline.passed()).isFalse();
        assertThat(baseline.candidate()).isLessThan(baseline.limit());
        assertThat(((Number) refused.baseline().get("accuracy")).doubleValue()).isEqualTo(baseline.limit());
        assertThat(new ModelRepository(dir.resolve("models"), "digits").servedVersion())
                .contains(2L);
    }

    @Test
    void aCompressedModelIsPublishedWithAProfileStampedForItsOwnBytes() throws Exception {
        String quantized = PIPELINE.replace("gates:", "compress: {method: quantize, mode: dynamic}\ngates:")
                .replace("  baseline: serving\n", "");
        RunRecord r = run(quantized, false);
        assertThat(statuses(r)).containsEntry("compress", "ran").containsEntry("publish", "ran");
        Path v1 = dir.resolve("models/digits/1");
        var profile = dev.pier.profile.Profiles.read(v1.resolve("profile.json"));
        // the served drift monitor refuses a profile whose hash names another model file (Profiles.requireMatch)
        assertThat(profile.modelSha256())
                .isEqualToIgnoringCase(dev.pier.profile.Profiles.sha256(v1.resolve("model.onnx")));
        dev.pier.profile.Profiles.requireMatch(
                profile, v1.resolve("profile.json"), v1.resolve("model.onnx"), null, null);
    }

    @Test
    void distillationTrainsASmallerStudentThatIsEvaluatedGatedAndPublished() throws Exception {
        String distilled = PIPELINE.replace(
                        "gates:",
                        "compress: {method: distill, student: \"mlp:8\", epochs: 3, learning_rate: 0.005, temperature: 4, alpha: 0.7}\ngates:")
                .replace("  baseline: serving\n", "")
                .replace("{min: 0.5}", "{min: 0.3}");
        RunRecord r = run(distilled, false);
        assertThat(statuses(r))
                .containsEntry("train", "ran")
                .containsEntry("compress", "ran")
                .containsEntry("evaluate", "ran")
                .containsEntry("publish", "ran");
        Map<String, Object> compress = r.stages().get(2).result();
        assertThat(String.valueOf(compress.get("chosen"))).containsIgnoringCase("distil");
        long teacherBytes = ((Number) ((Map<?, ?>) compress.get("before")).get("size_bytes")).longValue();
        long studentBytes = Files.size(dir.resolve("models/digits/1/model.onnx"));
        assertThat(studentBytes).isLessThan(teacherBytes * 2 / 3); // 784x8 weights against 784x16
        assertThat(Files.readAllBytes(dir.resolve("models/digits/1/model.onnx")))
                .isEqualTo(Files.readAllBytes(dir.resolve(".pier/cache/compress/model.onnx")));
        assertThat(((Number) r.candidate().get("accuracy")).doubleValue()).isGreaterThan(0.3);

        // the student's options are part of the compress stage's key; training is not redone
        RunRecord warmer = run(distilled.replace("temperature: 4", "temperature: 8"), false);
        assertThat(statuses(warmer)).containsEntry("train", "up_to_date").containsEntry("compress", "ran");
        assertThat(warmer.stages().get(2).reason()).isEqualTo("temperature 4.0 -> 8.0");

        assertThatThrownBy(() -> PipelineParser.parse(
                        PIPELINE.replace("gates:", "compress: {method: distill}\ngates:"), "p.yaml"))
                .hasMessageContaining("'compress.student': expected a student architecture");
        assertThatThrownBy(() -> PipelineParser.parse(
                        PIPELINE.replace("gates:", "compress: {method: quantize, temperature: 4}\ngates:"), "p.yaml"))
                .hasMessageContaining("only with method: distill");
    }
}
