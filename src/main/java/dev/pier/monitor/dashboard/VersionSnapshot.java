package dev.pier.monitor.dashboard;

import java.util.Map;

/**
 * One model version over one sampling interval: one row of the dashboard's table and one point of each of its
 * charts. Serialized to JSON as is (field names below); a null is "no data" (no request in the interval, or
 * the gauge does not exist) and the page shows "—". Immutable.
 *
 * @param model              model name
 * @param version            version number
 * @param state              {@link dev.pier.api.ModelState} name (AVAILABLE, LOADING, ...)
 * @param error              why the version failed, or ""
 * @param requestsPerSecond  requests answered per second (successes + failures)
 * @param inferencesPerSecond batch rows inferred per second
 * @param errorRate          failed / answered requests in the interval, 0..1; null without requests
 * @param p50Ms              median end-to-end latency in the interval, ms; null without requests
 * @param p95Ms              95th percentile, ms
 * @param p99Ms              99th percentile, ms
 * @param pending            requests queued or running at the end of the interval
 * @param meanBatch          mean rows per model execution in the interval; null without executions
 * @param batchSizes         executions in the interval by batch-size range ("1", "2", "3-4", ..., "&gt;256")
 * @param totalRequests      requests answered since the server started
 * @param quality            drift and live-accuracy gauges
 */
public record VersionSnapshot(
        String model,
        long version,
        String state,
        String error,
        double requestsPerSecond,
        double inferencesPerSecond,
        Double errorRate,
        Double p50Ms,
        Double p95Ms,
        Double p99Ms,
        double pending,
        Double meanBatch,
        Map<String, Long> batchSizes,
        double totalRequests,
        Quality quality) {
    public VersionSnapshot {
        batchSizes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(batchSizes));
    }
}
