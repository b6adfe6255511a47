package dev.pier.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * One step of a sweep: the load offered (a concurrency or a request rate), what came back, and the server's
 * own view from its metrics (null when it exposes none). Immutable.
 *
 * @param mode            CONCURRENCY (closed loop) or RATE (open loop)
 * @param load            workers (closed loop) or requests/s scheduled (open loop)
 * @param requests        requests counted in the step: answered, failed and dropped
 * @param errors          failed or dropped requests, broken down in {@code errorsByKind}
 * @param throughput      successful answers per second
 * @param latency         latency of the successful answers (open loop: from the scheduled send time)
 * @param serverQueueUs   mean server queue time per request over the step, microseconds
 * @param serverComputeUs mean server compute time per request over the step, microseconds
 * @param meanBatchSize   mean rows per model execution over the step
 */
public record StepResult(
        Mode mode,
        double load,
        long requests,
        long errors,
        Map<String, Long> errorsByKind,
        double throughput,
        LatencyRecorder.LatencySummary latency,
        Double serverQueueUs,
        Double serverComputeUs,
        Double meanBatchSize) {

    /** Closed loop (fixed number of workers) or open loop (fixed request rate). */
    public enum Mode {
        CONCURRENCY,
        RATE
    }

    public StepResult {
        errorsByKind = Map.copyOf(new TreeMap<>(errorsByKind));
    }

    public StepResult withServer(ServerMetrics.Delta server) {
        return new StepResult(
                mode,
                load,
                requests,
                errors,
                errorsByKind,
                throughput,
                latency,
                server == null ? null : server.queueUsPerRequest(),
                server == null ? null : server.computeUsPerRequest(),
                server == null ? null : server.meanBatchSize());
    }
}
