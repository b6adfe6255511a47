package dev.pier.monitor.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.InferenceService;
import dev.pier.api.ModelMetadata;
import dev.pier.api.ModelNotFoundException;
import dev.pier.api.ModelState;
import dev.pier.api.ModelVersionStatus;
import dev.pier.metrics.ServingMetrics;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sampler against the server's real metrics ({@link ServingMetrics}), fed as the serving core feeds it. */
class DashboardSamplerTest {
    private final ServingMetrics metrics = new ServingMetrics();
    private final FixedModelsService service = new FixedModelsService(List.of(
            new ModelVersionStatus("alpha", 1, ModelState.AVAILABLE, ""),
            new ModelVersionStatus("beta", 2, ModelState.FAILED, "cannot load model.onnx")));

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void eachSampleCoversOnlyTheRequestsOfItsInterval() {
        try (DashboardSampler sampler =
                new DashboardSampler(service, metrics.registry(), DashboardOptions.defaults(), false)) {
            for (int i = 0; i < 30; i++) {
                metrics.onRequest("alpha", 1, true, 1, 0, 1_000_000, 2_000_000);
            }
            metrics.onRequest("alpha", 1, false, 1, 0, 0, 1_000_000);
            metrics.onPending("alpha", 1, 3);
            DashboardSnapshot first = sampler.sample();
            VersionSnapshot alpha = row(first, "alpha");
            assertThat(alpha.requestsPerSecond() * first.intervalSeconds()).isCloseTo(31.0, within(1e-6));
            assertThat(alpha.errorRate()).isCloseTo(1.0 / 31, within(1e-9));
            assertThat(alpha.pending()).isEqualTo(3);
            assertThat(alpha.totalRequests()).isEqualTo(31);
            assertThat(alpha.state()).isEqualTo("AVAILABLE");

            VersionSnapshot beta = row(first, "beta");
            assertThat(beta.state()).isEqualTo("FAILED");
            assertThat(beta.error()).contains("model.onnx");
            assertThat(beta.requestsPerSecond()).isZero();
            assertThat(beta.p50Ms()).isNull();

            metrics.onRequest("alpha", 1, true, 1, 0, 0, 5_000_000);
            DashboardSnapshot second = sampler.sample();
            VersionSnapshot again = row(second, "alpha");
            assertThat(again.requestsPerSecond() * second.intervalSeconds()).isCloseTo(1.0, within(1e-6));
            assertThat(again.errorRate()).isZero();
            assertThat(again.totalRequests()).isEqualTo(32);
        }
    }

    @Test
    void percentilesFallInTheHistogramBucketThatHoldsTheExactPercentile() {
        SplittableRandom random = new SplittableRandom(11);
        double[] millis = new double[2000];
        try (DashboardSampler sampler =
                new DashboardSampler(service, metrics.registry(), DashboardOptions.defaults(), false)) {
            metrics.onRequest("alpha", 1, true, 1, 0, 0, 900_000_000L); // before the interval: must not count
            sampler.sample();
            for (int i = 0; i < millis.length; i++) {
                millis[i] = 0.5 + random.nextDouble() * random.nextDouble() * 200; // skewed towards small values
                metrics.onRequest("alpha", 1, true, 1, 0, 0, (long) (millis[i] * 1_000_000));
            }
            VersionSnapshot alpha = row(sampler.sample(), "alpha");
            double[] bounds = RegistryBounds.latencyMillis(metrics);
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            for (double[] qv : new double[][] {{0.50, alpha.p50Ms()}, {0.95, alpha.p95Ms()}, {0.99, alpha.p99Ms()}}) {
                double exact = sorted[(int) Math.ceil(qv[0] * sorted.length) - 1];
                int bucket = 0;
                while (bounds[bucket] < exact) {
                    bucket++;
                }
                double lower = bucket == 0 ? 0 : bounds[bucket - 1];
                assertThat(qv[1]).as("p%s (exact %s ms)", qv[0] * 100, exact).isBetween(lower, bounds[bucket]);
            }
        }
    }

    @Test
    void batchSizesAndMeanComeFromTheExecutionsOfTheInterval() {
        try (DashboardSampler sampler =
                new DashboardSampler(service, metrics.registry(), DashboardOptions.defaults(), false)) {
            int[] sizes = {1, 1, 2, 3, 8, 8, 8, 300};
            for (int s : sizes) {
                metrics.onExecution("alpha", 1, s);
            }
            VersionSnapshot alpha = row(sampler.sample(), "alpha");
            assertThat(alpha.meanBatch()).isCloseTo(Arrays.stream(sizes).sum() / (double) sizes.length, within(1e-9));
            assertThat(alpha.batchSizes())
                    .containsEntry("1", 2L)
                    .containsEntry("2", 1L)
                    .containsEntry("3-4", 1L)
                    .containsEntry("5-8", 3L)
                    .containsEntry("9-16", 0L)
                    .containsEntry(">256", 1L);
            assertThat(alpha.batchSizes().values().stream()
                            .mapToLong(Long::longValue)
                            .sum())
                    .isEqualTo(sizes.length);
        }
    }

    @Test
    void qualityGaugesOfOtherFeaturesAreReadByNameAndAbsentOnesAreNull() {
        try (DashboardSampler sampler =
                new DashboardSampler(service, metrics.registry(), DashboardOptions.defaults(), false)) {
            Quality none = row(sampler.sample(), "alpha").quality();
            assertThat(none.accuracy()).isNull();
            assertThat(none.driftDetected()).isNull();
            assertThat(none.driftScores()).isEmpty();

            var registry = metrics.registry();
            Gauge.builder("pier_drift_score", () -> 0.12)
                    .tags("model", "alpha", "version", "1", "feature", "pixel_1")
                    .register(registry);
            Gauge.builder("pier_drift_score", () -> 0.31)
                    .tags("model", "alpha", "version", "1", "feature", "pixel_2")
                    .register(registry);
            Gauge.builder("pier_drift_detected", () -> 1)
                    .tags("model", "alpha", "version", "1")
                    .register(registry);
            Gauge.builder("pier_live_accuracy", () -> 0.875)
                    .tags("model", "alpha", "version", "1")
                    .register(registry);
            Gauge.builder("pier_live_f1", () -> 0.8)
                    .tags("model", "alpha", "version", "1")
                    .register(registry);
            Gauge.builder("pier_feedback_rows", () -> 40)
                    .tags("model", "alpha", "version", "1")
                    .register(registry);
            Gauge.builder("pier_live_accuracy", () -> 0.5)
                    .tags("model", "other", "version", "1")
                    .register(registry);

            DashboardSnapshot s = sampler.sample();
            Quality q = row(s, "alpha").quality();
            assertThat(q.driftScores()).containsExactlyInAnyOrderEntriesOf(Map.of("pixel_1", 0.12, "pixel_2", 0.31));
            assertThat(q.driftMax()).isEqualTo(0.31);
            assertThat(q.driftDetected()).isTrue();
            assertThat(q.accuracy()).isEqualTo(0.875);
            assertThat(q.f1()).isEqualTo(0.8);
            assertThat(q.feedback()).isEqualTo(40.0);
            assertThat(q.precision()).isNull();
            assertThat(row(s, "beta").quality().accuracy()).isNull();
            // and it reaches the JSON the page reads
            assertThat(DashboardRoutes.json(s)).contains("\"accuracy\":0.875").contains("\"pixel_2\":0.31");
        }
    }

    @Test
    void historyIsBoundedAndSubscribersSeeEverySample() {
        DashboardOptions options = new DashboardOptions(Duration.ofSeconds(1), Duration.ofSeconds(3));
        try (DashboardSampler sampler = new DashboardSampler(service, metrics.registry(), options, false)) {
            List<DashboardSnapshot> seen = new ArrayList<>();
            sampler.subscribe(seen::add);
            List<DashboardSnapshot> taken = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                taken.add(sampler.sample());
            }
            assertThat(seen).containsExactlyElementsOf(taken);
            assertThat(sampler.history()).containsExactlyElementsOf(taken.subList(2, 5));
            assertThat(sampler.latest()).contains(taken.get(4));
        }
    }

    @Test
    void theTimerSamplesOnItsOwnAndStopsOnClose() throws InterruptedException {
        DashboardOptions options = new DashboardOptions(Duration.ofMillis(50), Duration.ofSeconds(10));
        AtomicReference<DashboardSnapshot> last = new AtomicReference<>();
        DashboardSampler sampler = DashboardSampler.start(service, metrics.registry(), options);
        sampler.subscribe(last::set);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (sampler.history().size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        sampler.close();
        assertThat(sampler.history()).hasSizeGreaterThanOrEqualTo(3);
        int after = sampler.history().size();
        Thread.sleep(200);
        assertThat(sampler.history()).hasSize(after);
        assertThat(last.get()).isNotNull();
    }

    private static VersionSnapshot row(DashboardSnapshot s, String model) {
        return s.models().stream()
                .filter(m -> m.model().equals(model))
                .findFirst()
                .orElseThrow();
    }

    /** The latency histogram's bucket bounds as the registry has them, in ms. */
    private static final class RegistryBounds {
        static double[] latencyMillis(ServingMetrics metrics) {
            var snapshot = metrics.registry()
                    .find("pier_inference_request_duration")
                    .tags("model", "alpha")
                    .timer()
                    .takeSnapshot();
            return Arrays.stream(snapshot.histogramCounts())
                    .mapToDouble(c -> c.bucket(java.util.concurrent.TimeUnit.MILLISECONDS))
                    .toArray();
        }
    }

    /** An {@link InferenceService} that only knows a fixed list of model versions (the sampler reads states only). */
    private static final class FixedModelsService implements InferenceService {
        private final List<ModelVersionStatus> versions;

        FixedModelsService(List<ModelVersionStatus> versions) {
            this.versions = versions;
        }

        @Override
        public CompletionStage<InferResponse> infer(InferRequest request) {
            throw new UnsupportedOperationException("the dashboard never infers");
        }

        @Override
        public ModelMetadata metadata(String model, OptionalLong version) {
            throw new UnsupportedOperationException("the dashboard never reads metadata");
        }

        @Override
        public List<ModelVersionStatus> status(String model, OptionalLong version) {
            List<ModelVersionStatus> out =
                    versions.stream().filter(v -> v.model().equals(model)).toList();
            if (out.isEmpty()) {
                throw new ModelNotFoundException("no model " + model);
            }
            return out;
        }

        @Override
        public boolean isModelReady(String model, OptionalLong version) {
            return true;
        }

        @Override
        public boolean isLive() {
            return true;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public List<String> modelNames() {
            return versions.stream()
                    .map(ModelVersionStatus::model)
                    .distinct()
                    .sorted()
                    .toList();
        }
    }
}
