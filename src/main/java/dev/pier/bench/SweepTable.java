package dev.pier.bench;

import java.util.Locale;
import java.util.stream.Collectors;

/** Formats a sweep as a fixed-width terminal table followed by the capacity line. Stateless. */
public final class SweepTable {
    private SweepTable() {}

    public static String format(SweepResult sweep) {
        StringBuilder sb = new StringBuilder();
        String load = sweep.mode() == StepResult.Mode.CONCURRENCY ? "conc" : "rate/s";
        sb.append(String.format(
                Locale.ROOT,
                "%8s %9s %7s %10s %8s %8s %8s %8s %9s %9s %6s  %s%n",
                load,
                "requests",
                "errors",
                "req/s",
                "p50 ms",
                "p90 ms",
                "p99 ms",
                "max ms",
                "queue us",
                "comp. us",
                "batch",
                "errors by kind"));
        for (StepResult s : sweep.steps()) {
            var l = s.latency();
            sb.append(String.format(
                    Locale.ROOT,
                    "%8s %9d %7d %10.1f %8.3f %8.3f %8.3f %8.3f %9s %9s %6s  %s%n",
                    fmtLoad(s),
                    s.requests(),
                    s.errors(),
                    s.throughput(),
                    l.p50Ms(),
                    l.p90Ms(),
                    l.p99Ms(),
                    l.maxMs(),
                    opt(s.serverQueueUs(), "%.1f"),
                    opt(s.serverComputeUs(), "%.1f"),
                    opt(s.meanBatchSize(), "%.2f"),
                    s.errorsByKind().entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(" "))));
        }
        sb.append(capacityLine(sweep)).append('\n');
        return sb.toString();
    }

    public static String capacityLine(SweepResult sweep) {
        return sweep.capacity()
                .map(c -> String.format(
                        Locale.ROOT,
                        "capacity: %.1f req/s within p99 <= %.3f ms (at %s %s, p99 %.3f ms), per replica",
                        c.throughput(),
                        sweep.sloP99Ms(),
                        SweepJson.loadField(sweep.mode()),
                        fmtLoad(c),
                        c.latency().p99Ms()))
                .orElse(String.format(
                        Locale.ROOT, "capacity: no step met p99 <= %.3f ms without errors", sweep.sloP99Ms()));
    }

    static String fmtLoad(StepResult s) {
        return s.mode() == StepResult.Mode.CONCURRENCY
                ? Integer.toString((int) s.load())
                : String.format(Locale.ROOT, "%.0f", s.load());
    }

    private static String opt(Double v, String fmt) {
        return v == null ? "-" : String.format(Locale.ROOT, fmt, v);
    }
}
