package dev.pier.monitor.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expectations here are worked out by hand from the bucket contents, not by running the code under test. */
class SnapshotMathTest {
    private static final double[] SECONDS = {1, 2, 4, 8};

    private static RawSample sample(
            long nanos, double ok, double failed, double rows, double pending, Histogram latency, Histogram batch) {
        return new RawSample(nanos, ok, failed, rows, pending, latency, batch);
    }

    @Test
    void ratesAndErrorRateComeFromCounterDeltasOverTheInterval() {
        RawSample prev = sample(1_000_000_000L, 100, 5, 300, 0, Histogram.EMPTY, Histogram.EMPTY);
        RawSample now = sample(3_000_000_000L, 140, 15, 400, 7, Histogram.EMPTY, Histogram.EMPTY);
        VersionSnapshot s = SnapshotMath.between("m", 1, "AVAILABLE", "", prev, now, Quality.NONE);
        // 40 successes + 10 failures in 2 s; 100 rows in 2 s
        assertThat(s.requestsPerSecond()).isCloseTo(25.0, within(1e-9));
        assertThat(s.errorRate()).isCloseTo(0.2, within(1e-9));
        assertThat(s.inferencesPerSecond()).isCloseTo(50.0, within(1e-9));
        assertThat(s.pending()).isEqualTo(7);
        assertThat(s.totalRequests()).isEqualTo(155);
        assertThat(s.p50Ms()).isNull();
        assertThat(s.meanBatch()).isNull();
    }

    @Test
    void percentilesInterpolateWithinTheBucketOfTheIntervalsOwnValues() {
        // before: 3, 2, 1 values in the first three buckets (6 in all); during the interval 4 values in (0,1],
        // 4 in (1,2] and 2 in (2,4]: cumulative deltas 4, 8, 10, 10
        Histogram before = new Histogram(SECONDS, new double[] {3, 5, 6, 6}, 6, 7.5);
        Histogram after = new Histogram(SECONDS, new double[] {7, 13, 16, 16}, 16, 23.5);
        VersionSnapshot s = SnapshotMath.between(
                "m",
                1,
                "AVAILABLE",
                "",
                sample(0, 6, 0, 6, 0, before, Histogram.EMPTY),
                sample(1_000_000_000L, 16, 0, 16, 0, after, Histogram.EMPTY),
                Quality.NONE);
        // p50: rank 5 of 10 falls in (1,2], 4 values below, 4 inside -> 1 + 1 * (5-4)/4 = 1.25 s
        assertThat(s.p50Ms()).isCloseTo(1250.0, within(1e-6));
        // p95: rank 9.5 falls in (2,4], 8 below, 2 inside -> 2 + 2 * 1.5/2 = 3.5 s
        assertThat(s.p95Ms()).isCloseTo(3500.0, within(1e-6));
        // p99: rank 9.9 -> 2 + 2 * 1.9/2 = 3.9 s
        assertThat(s.p99Ms()).isCloseTo(3900.0, within(1e-6));
    }

    @Test
    void aPercentileAboveTheLastBoundAnswersTheLastBound() {
        // 10 values, only 5 at most 8 s: the median is somewhere above 8 s
        assertThat(SnapshotMath.percentile(SECONDS, new double[] {0, 0, 5, 5}, 10, 0.99))
                .isEqualTo(8.0);
        assertThat(SnapshotMath.percentile(SECONDS, new double[] {0, 0, 0, 0}, 0, 0.5))
                .isNull();
    }

    @Test
    void batchSizesAreCountedPerRangeIncludingAboveTheLastBound() {
        double[] bounds = {1, 2, 4, 8};
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("1", 3L);
        expected.put("2", 2L);
        expected.put("3-4", 0L);
        expected.put("5-8", 4L);
        expected.put(">8", 1L);
        assertThat(SnapshotMath.distribution(bounds, new double[] {3, 5, 5, 9}, 10))
                .containsExactlyEntriesOf(expected);
    }

    @Test
    void meanBatchAndDistributionCoverOnlyTheInterval() {
        double[] bounds = {1, 2, 4};
        // before: 2 executions of 1 row; during: 1 of 1 row, 2 of 2 rows, 1 of 3 rows = 8 rows in 4 executions
        Histogram before = new Histogram(bounds, new double[] {2, 2, 2}, 2, 2);
        Histogram after = new Histogram(bounds, new double[] {3, 5, 6}, 6, 10);
        VersionSnapshot s = SnapshotMath.between(
                "m",
                1,
                "AVAILABLE",
                "",
                sample(0, 0, 0, 0, 0, Histogram.EMPTY, before),
                sample(500_000_000L, 0, 0, 0, 0, Histogram.EMPTY, after),
                Quality.NONE);
        assertThat(s.meanBatch()).isCloseTo(2.0, within(1e-9));
        assertThat(s.batchSizes())
                .containsExactly(Map.entry("1", 1L), Map.entry("2", 2L), Map.entry("3-4", 1L), Map.entry(">4", 0L));
    }

    @Test
    void aSeriesThatWentBackwardsCountsFromZero() {
        RawSample prev = sample(0, 1000, 0, 1000, 0, Histogram.EMPTY, Histogram.EMPTY);
        RawSample now = sample(1_000_000_000L, 30, 0, 30, 0, Histogram.EMPTY, Histogram.EMPTY);
        VersionSnapshot s = SnapshotMath.between("m", 1, "AVAILABLE", "", prev, now, Quality.NONE);
        assertThat(s.requestsPerSecond()).isCloseTo(30.0, within(1e-9));
        assertThat(s.errorRate()).isEqualTo(0.0);
    }
}
