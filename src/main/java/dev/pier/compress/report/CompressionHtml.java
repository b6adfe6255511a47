package dev.pier.compress.report;

import static dev.pier.evaluate.report.Html.esc;
import static dev.pier.evaluate.report.Html.num;

import dev.pier.compress.Compressed;
import dev.pier.compress.CompressionReport;
import dev.pier.compress.ModelFigures;
import dev.pier.compress.auto.AutoReport;
import dev.pier.compress.auto.Candidate;
import dev.pier.evaluate.report.Html;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Renders a compression's before/after report, or an {@code auto} search's candidates, as one self-contained
 * HTML page (inline CSS and SVG, no scripts, no URLs), in the style of the evaluation report. Thread-safe.
 */
public final class CompressionHtml {
    private static final String CSS = """
            body{margin:0;padding:28px 36px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#0f172a}
            h1{font-size:22px;margin:0 0 2px}h2{font-size:16px;margin:22px 0 10px}.sub{color:#64748b;margin:0 0 20px}
            table{border-collapse:collapse;font-variant-numeric:tabular-nums}th,td{padding:4px 12px;text-align:right;\
            border-bottom:1px solid #e2e8f0}th{color:#64748b;font-weight:600}td:first-child,th:first-child{text-align:left}
            .better{color:#15803d;font-weight:600}.worse{color:#b91c1c;font-weight:600}tr.chosen td{background:#eff6ff;font-weight:600}
            tr.over td{color:#94a3b8}.note{color:#64748b;font-size:12px;max-width:720px}code{font-size:12px}
            """;

    /** The page for one compression; {@code throughputBatch} is the batch size of the throughput pass. */
    public String render(CompressionReport r, int throughputBatch) {
        StringBuilder s = head("Compression: " + r.strategy());
        s.append("<h1>")
                .append(esc(r.strategy()))
                .append("</h1><p class=\"sub\">")
                .append(esc(r.input()))
                .append(" → ")
                .append(esc(r.output()))
                .append(" · evaluated on ")
                .append(esc(r.dataset()))
                .append(" (")
                .append(Html.count(r.examples()))
                .append(" examples)</p>\n<h2>Before and after</h2>");
        figuresTable(s, r.before(), r.after(), throughputBatch);
        if (!r.layers().isEmpty()) {
            s.append(
                    "<h2>Layers</h2><table><thead><tr><th>layer</th><th>weight</th><th>shape before</th><th>shape after</th>"
                            + "<th>non-zero</th><th>sparsity</th><th></th><th>what was done</th></tr></thead><tbody>");
            for (Compressed.LayerChange l : r.layers()) {
                s.append("<tr><td>")
                        .append(esc(l.layer()))
                        .append("</td><td><code>")
                        .append(esc(l.weight()))
                        .append("</code></td><td>")
                        .append(l.shapeBefore())
                        .append("</td><td>")
                        .append(l.shapeAfter())
                        .append("</td><td>")
                        .append(Html.count(l.nonZero()))
                        .append("</td><td>")
                        .append(Html.pct(l.sparsity()))
                        .append("</td><td>")
                        .append(bar(l.sparsity()))
                        .append("</td><td>")
                        .append(esc(l.note()))
                        .append("</td></tr>");
            }
            s.append(
                    "</tbody></table><p class=\"note\">Sparsity: share of the layer's original weights that are zero or"
                            + " removed.</p>\n");
        }
        s.append("<h2>Settings</h2><table><tbody>");
        r.details().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> s.append("<tr><td>")
                        .append(esc(e.getKey()))
                        .append("</td><td style=\"text-align:left\">")
                        .append(esc(show(e.getValue())))
                        .append("</td></tr>"));
        s.append("</tbody></table>\n");
        return foot(s, throughputBatch);
    }

    /** The page for an automatic search: the original's figures and every candidate, the chosen one marked. */
    public String render(AutoReport r, int throughputBatch) {
        StringBuilder s = head("Compression search");
        s.append("<h1>Compression search: ")
                .append(esc(r.chosen()))
                .append(" chosen</h1><p class=\"sub\">")
                .append(esc(r.input()))
                .append(" → ")
                .append(esc(r.output()))
                .append(" · objective ")
                .append(esc(r.objective()))
                .append(" · accuracy budget ")
                .append(num(r.maxAccuracyDrop() * 100, 2))
                .append(" pp</p>\n");
        Candidate chosen = r.candidates().stream()
                .filter(c -> c.name().equals(r.chosen()))
                .findFirst()
                .orElse(null);
        if (chosen != null && r.original() != null) {
            s.append("<h2>Original and chosen</h2>");
            figuresTable(s, r.original(), chosen.figures(), throughputBatch);
        }
        s.append(
                "<h2>Candidates</h2><table><thead><tr><th>candidate</th><th>accuracy</th><th>drop (pp)</th><th>macro F1</th>"
                        + "<th>file size</th><th>non-zero</th><th>p50 (ms)</th><th>p99 (ms)</th><th>throughput (/s)</th><th>verdict</th>"
                        + "</tr></thead><tbody>");
        for (Candidate c : r.candidates()) {
            ModelFigures f = c.figures();
            if (f == null) {
                s.append("<tr class=\"over\"><td>")
                        .append(esc(c.name()))
                        .append("</td><td colspan=\"9\" style=\"text-align:left\">" + "skipped: ")
                        .append(esc(String.valueOf(c.error())))
                        .append("</td></tr>");
                continue;
            }
            boolean isChosen = c.name().equals(r.chosen());
            s.append("<tr class=\"")
                    .append(isChosen ? "chosen" : c.withinBudget() ? "" : "over")
                    .append("\"><td>")
                    .append(esc(c.name()))
                    .append("</td><td>")
                    .append(num(f.accuracy(), 4))
                    .append("</td><td>")
                    .append(r.original() == null ? "" : num((r.original().accuracy() - f.accuracy()) * 100, 2))
                    .append("</td><td>")
                    .append(num(f.f1Macro(), 4))
                    .append("</td><td>")
                    .append(Html.bytes(f.sizeBytes()))
                    .append("</td><td>")
                    .append(Html.count(f.nonZero()))
                    .append("</td><td>")
                    .append(num(f.p50Ms(), 3))
                    .append("</td><td>")
                    .append(num(f.p99Ms(), 3))
                    .append("</td><td>")
                    .append(Html.count(Math.round(f.throughput())))
                    .append("</td><td>")
                    .append(isChosen ? "chosen" : c.withinBudget() ? "within budget" : "over budget")
                    .append("</td></tr>");
        }
        s.append("</tbody></table>\n");
        return foot(s, throughputBatch);
    }

    private static StringBuilder head(String title) {
        return new StringBuilder(16 * 1024)
                .append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(title))
                .append("</title><style>")
                .append(CSS)
                .append("</style></head><body>\n");
    }

    private static String foot(StringBuilder s, int batch) {
        s.append("<p class=\"note\">Latency: sequential ONNX Runtime calls at batch 1 on this machine; throughput: the"
                        + " accuracy pass at batch ")
                .append(batch)
                .append(". Accuracy and F1 on the evaluation data above.</p>\n");
        return s.append("</body></html>\n").toString();
    }

    private static void figuresTable(StringBuilder s, ModelFigures b, ModelFigures a, int batch) {
        s.append("<table><thead><tr><th></th><th>before</th><th>after</th><th>after / before</th></tr></thead><tbody>");
        row(s, "file size", b, a, f -> f.sizeBytes(), v -> Html.bytes((long) v), true);
        row(s, "parameters", b, a, f -> f.parameters(), v -> Html.count((long) v), true);
        row(s, "non-zero parameters", b, a, f -> f.nonZero(), v -> Html.count((long) v), true);
        row(s, "accuracy", b, a, ModelFigures::accuracy, v -> num(v, 4), false);
        row(s, "macro F1", b, a, ModelFigures::f1Macro, v -> num(v, 4), false);
        row(s, "latency p50, batch 1 (ms)", b, a, ModelFigures::p50Ms, v -> num(v, 3), true);
        row(s, "latency p99, batch 1 (ms)", b, a, ModelFigures::p99Ms, v -> num(v, 3), true);
        row(
                s,
                "throughput, batch " + batch + " (/s)",
                b,
                a,
                ModelFigures::throughput,
                v -> Html.count(Math.round(v)),
                false);
        s.append("</tbody></table>\n");
    }

    private static void row(
            StringBuilder s,
            String name,
            ModelFigures b,
            ModelFigures a,
            ToDoubleFunction<ModelFigures> get,
            java.util.function.DoubleFunction<String> fmt,
            boolean lowerIsBetter) {
        double vb = get.applyAsDouble(b);
        double va = get.applyAsDouble(a);
        double ratio = vb == 0 ? Double.NaN : va / vb;
        String cls = Double.isNaN(ratio) || Math.abs(ratio - 1) < 1e-3
                ? ""
                : (ratio < 1) == lowerIsBetter ? "better" : "worse";
        s.append("<tr><td>")
                .append(esc(name))
                .append("</td><td>")
                .append(fmt.apply(vb))
                .append("</td><td>")
                .append(fmt.apply(va))
                .append("</td><td class=\"")
                .append(cls)
                .append("\">")
                .append(Double.isNaN(ratio) ? "–" : num(ratio, 3))
                .append("</td></tr>");
    }

    /** An inline bar for a fraction in [0, 1]. */
    private static String bar(double fraction) {
        double w = Math.max(0, Math.min(1, fraction)) * 120;
        return "<svg width=\"120\" height=\"10\" role=\"img\"><rect width=\"120\" height=\"10\" fill=\"#e2e8f0\"/>"
                + "<rect width=\"" + num(w, 1) + "\" height=\"10\" fill=\"" + Html.mix(0x93c5fd, 0x1d4ed8, fraction)
                + "\"/></svg>";
    }

    private static String show(Object v) {
        if (v instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder();
            m.forEach((k, x) -> b.append(b.isEmpty() ? "" : "; ")
                    .append(k)
                    .append(' ')
                    .append(
                            x instanceof List<?> l
                                    ? l.stream()
                                            .map(e ->
                                                    e instanceof Number n ? num(n.doubleValue(), 4) : String.valueOf(e))
                                            .toList()
                                    : x));
            return b.toString();
        }
        return String.valueOf(v);
    }

    /** Writes the page for one compression atomically. */
    public void write(CompressionReport report, int throughputBatch, Path target) {
        dev.pier.io.AtomicFiles.writeUnchecked(
                target, render(report, throughputBatch).getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the page for a search atomically. */
    public void write(AutoReport report, int throughputBatch, Path target) {
        dev.pier.io.AtomicFiles.writeUnchecked(
                target, render(report, throughputBatch).getBytes(StandardCharsets.UTF_8));
    }
}
