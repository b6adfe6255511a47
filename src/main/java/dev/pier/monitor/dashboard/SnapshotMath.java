package dev.pier.monitor.dashboard;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns two readings of cumulative series into the figures of the interval between them: rates from
 * counter deltas, percentiles from histogram-bucket deltas (linear interpolation inside the bucket, as
 * Prometheus' {@code histogram_quantile} does), the batch-size distribution. Pure functions; thread-safe.
 */
public final class SnapshotMath {
    private SnapshotMath() {}

    /** The figures of one version between {@code prev} and {@code now}; model state and quality are passed through. */
    public static VersionSnapshot between(
            String model, long version, String state, String error, RawSample prev, RawSample now, Quality quality) {
        double seconds = Math.max(1e-9, (now.nanos() - prev.nanos()) / 1e9);
        double ok = delta(prev.success(), now.success());
        double failed = delta(prev.failure(), now.failure());
        double answered = ok + failed;
        double[] latency = bucketDeltas(prev.latency(), now.latency());
        long latencyCount = (long) delta(prev.latency().count(), now.latency().count());
        Double p50 = toMillis(percentile(now.latency().bounds(), latency, latencyCount, 0.50));
        Double p95 = toMillis(percentile(now.latency().bounds(), latency, latencyCount, 0.95));
        Double p99 = toMillis(percentile(now.latency().bounds(), latency, latencyCount, 0.99));
        double executions = delta(prev.batch().count(), now.batch().count());
        double rows = delta(prev.batch().total(), now.batch().total());
        return new VersionSnapshot(
                model,
                version,
                state,
                error,
                answered / seconds,
                delta(prev.inferences(), now.inferences()) / seconds,
                answered == 0 ? null : failed / answered,
                p50,
                p95,
                p99,
                Math.max(0, now.pending()),
                executions == 0 ? null : rows / executions,
                distribution(now.batch().bounds(), bucketDeltas(prev.batch(), now.batch()), (long) executions),
                now.success() + now.failure(),
                quality);
    }

    /**
     * The {@code q}-quantile (0..1) of {@code count} values spread over buckets with upper {@code bounds} and
     * cumulative counts {@code cumulative} (values at most each bound); the lower edge of the first bucket is 0.
     * Values above the last bound answer the last bound (the histogram cannot say more). Null when count is 0.
     */
    public static Double percentile(double[] bounds, double[] cumulative, long count, double q) {
        if (count <= 0 || bounds.length == 0) {
            return null;
        }
        double rank = q * count;
        for (int i = 0; i < bounds.length; i++) {
            if (cumulative[i] >= rank && cumulative[i] > 0) {
                double lower = i == 0 ? 0 : bounds[i - 1];
                double below = i == 0 ? 0 : cumulative[i - 1];
                double inBucket = cumulative[i] - below;
                return inBucket <= 0 ? bounds[i] : lower + (bounds[i] - lower) * (rank - below) / inBucket;
            }
        }
        return bounds[bounds.length - 1];
    }

    /**
     * Per-bucket counts of integer-valued observations (batch sizes) by range label: bound 1 is "1", bounds
     * 2 then 4 give "2" and "3-4", and what lies above the last bound is "&gt;last". Every range is present, in order.
     */
    public static Map<String, Long> distribution(double[] bounds, double[] cumulative, long count) {
        Map<String, Long> out = new LinkedHashMap<>();
        double below = 0;
        long lower = 1;
        for (int i = 0; i < bounds.length; i++) {
            long upper = (long) Math.floor(bounds[i]);
            String label = upper <= lower ? Long.toString(upper) : lower + "-" + upper;
            out.put(label, Math.round(Math.max(0, cumulative[i] - below)));
            below = Math.max(below, cumulative[i]);
            lower = upper + 1;
        }
        if (bounds.length > 0) {
            out.put(">" + (long) Math.floor(bounds[bounds.length - 1]), Math.max(0, count - Math.round(below)));
        }
        return out;
    }

    /** Cumulative bucket counts gained between two readings; a reading with other bounds counts as empty. */
    static double[] bucketDeltas(Histogram prev, Histogram now) {
        double[] out = new double[now.size()];
        boolean comparable = prev.sameBounds(now);
        double floor = 0;
        for (int i = 0; i < out.length; i++) {
            double d = delta(comparable ? prev.cumulativeAt(i) : 0, now.cumulativeAt(i));
            floor = Math.max(floor, d); // cumulative counts never decrease along the buckets
            out[i] = floor;
        }
        return out;
    }

    /** Growth of a cumulative series; a series that went backwards (reset) counts from zero. */
    private static double delta(double before, double after) {
        return after >= before ? after - before : Math.max(0, after);
    }

    private static Double toMillis(Double seconds) {
        return seconds == null ? null : seconds * 1000;
    }
}
