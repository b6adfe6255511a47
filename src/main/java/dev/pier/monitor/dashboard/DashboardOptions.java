package dev.pier.monitor.dashboard;

import java.time.Duration;

/**
 * How the dashboard samples. Immutable.
 *
 * @param interval time between two samples (default 1 s); rates and percentiles are computed over it
 * @param history  how far back the page can draw when it opens (default 300 s); bounds the memory held
 */
public record DashboardOptions(Duration interval, Duration history) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_HISTORY = Duration.ofSeconds(300);

    public DashboardOptions {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("dashboard sampling interval must be positive, got " + interval);
        }
        if (history.compareTo(interval) < 0) {
            throw new IllegalArgumentException(
                    "dashboard history (" + history + ") must be at least one interval (" + interval + ")");
        }
    }

    public static DashboardOptions defaults() {
        return new DashboardOptions(DEFAULT_INTERVAL, DEFAULT_HISTORY);
    }

    /** Number of samples kept. */
    int frames() {
        return (int) Math.max(1, history.toMillis() / interval.toMillis());
    }
}
