package dev.pier.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records request latencies from many threads into an HdrHistogram (microsecond resolution up to one
 * minute, 3 significant digits) without locks on the recording path. Thread-safe.
 */
public final class LatencyRecorder {
    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(1);

    private final Recorder recorder = new Recorder(MAX_MICROS, 3);
    private final Histogram total = new Histogram(MAX_MICROS, 3);

    /** Records one latency given in nanoseconds; values past one minute are clamped. */
    public void recordNanos(long nanos) {
        recorder.recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1000)));
    }

    /** Everything recorded so far, as an immutable summary. */
    public synchronized LatencySummary summary() {
        total.add(recorder.getIntervalHistogram());
        return LatencySummary.of(total);
    }

    /** Latency percentiles in milliseconds and the count they cover. */
    public record LatencySummary(long count, double p50Ms, double p90Ms, double p99Ms, double maxMs, double meanMs) {
        static LatencySummary of(Histogram h) {
            return new LatencySummary(
                    h.getTotalCount(),
                    h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(90) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0,
                    h.getMaxValue() / 1000.0,
                    h.getMean() / 1000.0);
        }
    }
}
