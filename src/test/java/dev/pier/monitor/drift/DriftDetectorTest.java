package dev.pier.monitor.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.profile.FeatureExtractor;
import dev.pier.profile.FeatureSpec;
import dev.pier.profile.ProfileBuilder;
import dev.pier.profile.Profiles;
import dev.pier.profile.ReferenceProfile;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftDetectorTest {
    private static final DriftOptions SMALL = DriftOptions.defaults().withWindow(100, 20);

    /** Two tabular features, uniform on [0, 1); the model predicts class 0 and 1 equally often. */
    private static ReferenceProfile profile() {
        FeatureExtractor ex = new FeatureExtractor(FeatureSpec.detect(new long[] {2}, 0, 1));
        ProfileBuilder b = new ProfileBuilder(ex, 2);
        Random random = new Random(1);
        float[] rows = new float[2 * 5000];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = random.nextFloat();
        }
        b.addRows(rows, 0, 5000);
        for (int i = 0; i < 5000; i++) {
            b.addPrediction(i % 2);
        }
        return b.build("m.onnx", "uniform", new ReferenceProfile.InputInfo("x", "FP32", new long[] {-1, 2}));
    }

    @Test
    void evaluatesOnlyFullWindowsEveryStrideAndFlagsShiftedValuesAndClasses() {
        DriftDetector d = new DriftDetector(profile(), SMALL);
        Random random = new Random(2);
        for (int i = 1; i < 100; i++) {
            assertThat(d.add(new double[] {random.nextDouble(), random.nextDouble()}, i % 2))
                    .as("row %d", i)
                    .isEmpty();
        }
        DriftReport clean = d.add(new double[] {random.nextDouble(), random.nextDouble()}, 0)
                .orElseThrow();
        assertThat(clean.rows()).isEqualTo(100);
        assertThat(clean.detected()).isFalse();
        assertThat(clean.psi().values()).allSatisfy(v -> assertThat(v).isLessThan(0.2));
        assertThat(clean.classPsi()).isLessThan(0.01);

        // the second feature moves above the reference range: after a full window, PSI counts every live
        // value in the empty top bin
        Optional<DriftReport> last = Optional.empty();
        for (int i = 0; i < 100; i++) {
            Optional<DriftReport> r = d.add(new double[] {random.nextDouble(), 2 + random.nextDouble()}, i % 2);
            assertThat(r.isPresent()).as("report at row %d", 101 + i).isEqualTo((i + 1) % 20 == 0);
            last = r.isPresent() ? r : last;
        }
        DriftReport shifted = last.orElseThrow();
        assertThat(shifted.detected()).isTrue();
        assertThat(shifted.reason()).startsWith("PSI of feature_1");
        // reference fractions: about 0.1 in each of the 10 inner bins, 0 above the max; live: all above
        double expected = 0;
        for (double e : profile().stats("feature_1").histogram().fractions()) {
            expected += e == 0
                    ? (1 - 1e-4) * Math.log(1 / 1e-4)
                    : (1e-4 - Math.max(e, 1e-4)) * Math.log(1e-4 / Math.max(e, 1e-4));
        }
        assertThat(shifted.psi().get("feature_1")).isCloseTo(expected, within(1e-9));
        assertThat(shifted.ks().get("feature_1")).isEqualTo(1.0);

        // only the predicted classes shift: all class 1 against a 50/50 reference
        DriftDetector classes = new DriftDetector(profile(), SMALL);
        DriftReport r = null;
        for (int i = 0; i < 100; i++) {
            r = classes.add(new double[] {random.nextDouble(), random.nextDouble()}, 1)
                    .orElse(r);
        }
        // the empty class counts as 1e-4: (1e-4 - 0.5)·ln(1e-4 / 0.5) + (1 - 0.5)·ln(1 / 0.5) = 4.257745 + 0.346574
        assertThat(r.classPsi()).isCloseTo(4.604319, within(1e-5));
        assertThat(r.detected()).isTrue();
        assertThat(r.reason()).startsWith("PSI of predicted_class");
    }

    @Test
    void monitorWatchesOnlyVersionsWithAProfileAndSkipsRowsOfAnotherSize(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("profile.json");
        Profiles.write(profile(), file);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ProfileLocator locator = (model, version) -> version == 1 ? Optional.of(file) : Optional.empty();
        try (DriftMonitor monitor = new DriftMonitor(locator, SMALL, registry)) {
            Random random = new Random(4);
            for (int i = 0; i < 10; i++) {
                float[] x = new float[20];
                for (int j = 0; j < x.length; j++) {
                    x[j] = j % 2 == 1 ? 5f : random.nextFloat(); // feature_1 far out of range
                }
                monitor.onInference(request(Tensor.ofFloats("x", Shape.of(10, 2), x)), response(1, 10));
                monitor.onInference(request(Tensor.ofFloats("x", Shape.of(10, 2), x)), response(2, 10));
            }
            monitor.onInference(request(Tensor.ofFloats("x", Shape.of(1, 3), 1, 2, 3)), response(1, 1));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (monitor.latest("m", 1).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(200); // let the odd-sized request through the worker too
            assertThat(monitor.latest("m", 1))
                    .hasValueSatisfying(r -> assertThat(r.detected()).isTrue());
            assertThat(monitor.latest("m", 2)).isEmpty();
            Gauge detected = registry.find("pier_drift_detected")
                    .tags("model", "m", "version", "1")
                    .gauge();
            assertThat(detected.value()).isEqualTo(1.0);
            assertThat(registry.find("pier_drift_detected").tags("version", "2").gauge())
                    .isNull();
            assertThat(registry.find("pier_drift_score")
                            .tags("version", "1", "feature", "feature_1")
                            .gauge()
                            .value())
                    .isGreaterThan(0.2);
            assertThat(registry.find("pier_drift_rows")
                            .tags("version", "1")
                            .counter()
                            .count())
                    .isEqualTo(100);
        }
    }

    private static InferRequest request(Tensor input) {
        return new InferRequest("id", "m", OptionalLong.empty(), List.of(input), List.of(), Map.of());
    }

    /** Scores that make class 1 win for every row. */
    private static InferResponse response(long version, int rows) {
        float[] s = new float[rows * 2];
        for (int i = 0; i < rows; i++) {
            s[2 * i + 1] = 1;
        }
        return new InferResponse("id", "m", version, List.of(Tensor.ofFloats("p", Shape.of(rows, 2), s)), Map.of());
    }
}
