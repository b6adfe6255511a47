package dev.pier.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.Shape;
import dev.pier.cli.CliRun;
import dev.pier.cli.PierCli;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.evaluate.EvaluateOptions;
import dev.pier.evaluate.Evaluator;
import dev.pier.monitor.NearestMeanModel;
import dev.pier.runtime.onnx.OrtEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Profiles built through the evaluation code path (ONNX Runtime) on real MNIST, and their JSON file. */
class ReferenceProfileTest {

    @TempDir
    Path dir;

    @Test
    void profileOfARealModelMatchesIndependentFiguresAndSurvivesAJsonRoundTrip() throws Exception {
        LabeledData train = Mnist.load(Mnist.Split.TRAIN, 2_000, MnistFetcher.defaultDir(), Shape.of(784));
        NearestMeanModel classifier = new NearestMeanModel(train);
        Path model = classifier.save(dir.resolve("m.onnx"));
        ReferenceProfile profile;
        try (OrtEngine engine = new OrtEngine()) {
            profile = new Evaluator(engine).profile(model, train, EvaluateOptions.defaults());
        }
        assertThat(profile.rows()).isEqualTo(2_000);
        assertThat(profile.input().name()).isEqualTo("input");
        assertThat(profile.input().shape()).containsExactly(-1, 784);
        assertThat(profile.features().kind()).isEqualTo(FeatureSpec.Kind.IMAGE);
        assertThat(profile.features().height()).isEqualTo(28);

        // mean intensity: the mean over images of each image's mean pixel, in plain Java
        double sum = 0;
        for (float v : train.features()) {
            sum += v;
        }
        FeatureStats mean = profile.stats("mean_intensity");
        assertThat(mean.mean()).isCloseTo(sum / train.features().length, within(1e-6));
        assertThat(mean.count()).isEqualTo(2_000);
        assertThat(mean.sample()).hasSize(2_000).isSorted();
        assertThat(Arrays.stream(mean.histogram().fractions()).sum()).isCloseTo(1, within(1e-9));
        assertThat(mean.quantiles().get("0.5")).isBetween(mean.min(), mean.max());

        // predicted classes: ONNX Runtime (float) against a double-precision forward pass; a near tie may differ
        long[] expected = new long[10];
        for (int i = 0; i < train.count(); i++) {
            expected[classifier.predict(train.features(), i)]++;
        }
        long[] counts = profile.predictions().counts();
        for (int c = 0; c < 10; c++) {
            assertThat(counts[c]).as("class %d", c).isCloseTo(expected[c], within(2L));
        }
        assertThat(Arrays.stream(counts).sum()).isEqualTo(2_000);

        Path file = dir.resolve("profile.json");
        Profiles.write(profile, file);
        ReferenceProfile read = Profiles.read(file);
        Path again = dir.resolve("again.json");
        Profiles.write(read, again);
        assertThat(Files.readString(again)).isEqualTo(Files.readString(file));
        assertThat(read.stats("ink_area").histogram())
                .isEqualTo(profile.stats("ink_area").histogram());
        assertThat(read.predictions()).isEqualTo(profile.predictions());
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.get("formatVersion").asInt()).isEqualTo(1);
        assertThat(json.get("stats").get(0).get("histogram").get("edges").isArray())
                .isTrue();
    }

    @Test
    void pierEvaluateWritesTheProfileBesideTheModelUnlessToldOtherwise() throws Exception {
        LabeledData train = Mnist.load(Mnist.Split.TRAIN, 1_000, MnistFetcher.defaultDir(), Shape.of(784));
        Path version = Files.createDirectories(dir.resolve("repo/mnist/3"));
        Path model = new NearestMeanModel(train).save(version.resolve("model.onnx"));
        String[] base = {"evaluate", "--model", model.toString(), "--dataset", "mnist:test:300", "--latency-runs", "2"};

        CliRun run = CliRun.of(base);
        assertThat(run.exit()).as(run.err()).isZero();
        Path beside = version.resolve("model.profile.json");
        assertThat(run.out()).contains("wrote reference profile " + beside.toAbsolutePath());
        ReferenceProfile p = Profiles.read(beside);
        assertThat(p.rows()).isEqualTo(300);
        assertThat(p.dataset()).isEqualTo("mnist:test:300");

        Path elsewhere = dir.resolve("other/p.json");
        CliRun custom = CliRun.of(concat(base, "--profile", elsewhere.toString()));
        assertThat(custom.exit()).as(custom.err()).isZero();
        assertThat(Profiles.read(elsewhere).rows()).isEqualTo(300);

        Files.delete(beside);
        CliRun none = CliRun.of(concat(base, "--no-profile"));
        assertThat(none.exit()).as(none.err()).isZero();
        assertThat(beside).doesNotExist();

        CliRun over = CliRun.of(concat(base, "--profile", model.toString()));
        assertThat(over.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(over.err()).contains("is the model file itself");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
