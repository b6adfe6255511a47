package dev.pier.compress;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one compression: files, strategy, the before/after figures and per-layer changes. Immutable;
 * serialised to JSON by Jackson and printed by {@link #table()}.
 */
public record CompressionReport(
        String strategy,
        String input,
        String output,
        String dataset,
        int examples,
        ModelFigures before,
        ModelFigures after,
        List<Compressed.LayerChange> layers,
        Map<String, Object> details) {
    public CompressionReport {
        layers = List.copyOf(layers);
        details = Map.copyOf(details);
    }

    /** Accuracy lost (positive) or gained (negative), in percentage points. */
    public double accuracyDropPoints() {
        return (before.accuracy() - after.accuracy()) * 100;
    }

    /** A fixed-width text table: one row per figure, before / after / ratio. */
    public String table() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%-22s %14s %14s %10s%n", "", "before", "after", "after/before"));
        row(s, "file size (bytes)", before.sizeBytes(), after.sizeBytes());
        row(s, "parameters", before.parameters(), after.parameters());
        row(s, "non-zero parameters", before.nonZero(), after.nonZero());
        rowF(s, "accuracy", before.accuracy(), after.accuracy(), "%.4f");
        rowF(s, "macro F1", before.f1Macro(), after.f1Macro(), "%.4f");
        rowF(s, "latency p50 (ms)", before.p50Ms(), after.p50Ms(), "%.4f");
        rowF(s, "latency p99 (ms)", before.p99Ms(), after.p99Ms(), "%.4f");
        rowF(s, "throughput (img/s)", before.throughput(), after.throughput(), "%.0f");
        for (Compressed.LayerChange l : layers) {
            s.append(String.format(
                    Locale.ROOT,
                    "  layer %-16s %s -> %s  sparsity %.3f  %s%n",
                    l.layer(),
                    l.shapeBefore(),
                    l.shapeAfter(),
                    l.sparsity(),
                    l.note()));
        }
        return s.toString();
    }

    private static void row(StringBuilder s, String name, long b, long a) {
        s.append(String.format(
                Locale.ROOT, "%-22s %,14d %,14d %10.3f%n", name, b, a, b == 0 ? Double.NaN : (double) a / b));
    }

    private static void rowF(StringBuilder s, String name, double b, double a, String fmt) {
        s.append(String.format(
                Locale.ROOT,
                "%-22s %14s %14s %10.3f%n",
                name,
                String.format(Locale.ROOT, fmt, b),
                String.format(Locale.ROOT, fmt, a),
                b == 0 ? Double.NaN : a / b));
    }
}
