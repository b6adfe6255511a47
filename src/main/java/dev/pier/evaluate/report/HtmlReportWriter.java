package dev.pier.evaluate.report;

import static dev.pier.evaluate.report.Html.esc;
import static dev.pier.evaluate.report.Html.num;
import static dev.pier.evaluate.report.Html.pct;

import dev.pier.evaluate.EvaluationReport;
import dev.pier.evaluate.Misclassification;
import dev.pier.evaluate.metrics.ClassMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Renders an {@link EvaluationReport} as one self-contained HTML page: headline figures first, then the
 * confusion heat map, per-class F1 bars, the reliability diagram, the per-class table and a gallery of the
 * most confident mistakes. Inline CSS and SVG, images as PNG data URIs, no scripts, no fonts, no URLs: it
 * opens offline and survives being attached to a CI run. Thread-safe.
 */
public final class HtmlReportWriter {

    /** Above this a k×k heat map stops being readable (and its SVG grows as k²); the JSON keeps the matrix. */
    static final int MAX_HEATMAP_CLASSES = 100;

    private static final String CSS = """
            :root{color-scheme:light;--ink:#0f172a;--muted:#64748b;--line:#e2e8f0;--card:#f8fafc}
            *{box-sizing:border-box}body{margin:0;padding:28px 36px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",\
            Roboto,sans-serif;color:var(--ink);background:#fff}
            h1{font-size:22px;margin:0 0 2px}h2{font-size:16px;margin:0 0 10px}.sub{color:var(--muted);margin:0 0 20px}
            .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:12px;margin-bottom:26px}
            .card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px}
            .card .v{font-size:24px;font-weight:650;font-variant-numeric:tabular-nums}.card .k{color:var(--muted);\
            font-size:12px;text-transform:uppercase;letter-spacing:.04em}.card .d{color:var(--muted);font-size:12px}
            .card.hero{background:#eff6ff;border-color:#bfdbfe}.card.hero .v{color:#1d4ed8;font-size:30px}
            .row{display:flex;flex-wrap:wrap;gap:28px;margin-bottom:28px}
            section{border:1px solid var(--line);border-radius:10px;padding:16px 18px}
            .note{color:var(--muted);font-size:12px;max-width:420px;margin:6px 0 0}
            svg text{font:11px system-ui,sans-serif;fill:#334155}svg .axis{font-size:12px;fill:var(--muted)}
            svg .cell{font-size:10px;fill:#1e293b}svg .cell.light{fill:#fff}svg .value{font-size:10px}
            svg .grid{stroke:#e2e8f0;stroke-width:1}svg .diag{stroke:#0f172a;stroke-width:1.5;stroke-dasharray:5 4}svg .conf{stroke:#dc2626;stroke-width:2}
            table{border-collapse:collapse;font-variant-numeric:tabular-nums}th,td{padding:4px 12px;text-align:right;\
            border-bottom:1px solid var(--line)}th{color:var(--muted);font-weight:600}tr.weak td{color:#b91c1c;font-weight:600}
            .gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(104px,1fr));gap:12px}
            .gallery figure{margin:0;text-align:center;font-size:12px}.gallery img{width:84px;height:84px;\
            image-rendering:pixelated;border-radius:6px;border:1px solid var(--line);background:#000}
            .gallery .lab b{color:#b91c1c}.gallery .conf{color:var(--muted)}
            footer{color:var(--muted);font-size:12px;margin-top:20px}
            """;

    public String render(EvaluationReport r) {
        StringBuilder s = new StringBuilder(64 * 1024);
        String title = fileName(r.model()) + " on " + r.dataset();
        s.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<title>Evaluation: ")
                .append(esc(title))
                .append("</title><style>")
                .append(CSS)
                .append("</style></head><body>\n");
        s.append("<h1>")
                .append(esc(title))
                .append("</h1><p class=\"sub\">")
                .append(Html.count(r.count()))
                .append(" examples · ")
                .append(r.numClasses())
                .append(" classes · output read as ")
                .append(r.outputKind().name().toLowerCase(Locale.ROOT))
                .append(" · input layout ")
                .append(r.inputLayout().name().toLowerCase(Locale.ROOT))
                .append(" · ")
                .append(esc(r.model()))
                .append("</p>\n");
        headline(s, r);
        s.append("<div class=\"row\"><section><h2>Confusion matrix</h2>")
                .append(
                        r.numClasses() <= MAX_HEATMAP_CLASSES
                                ? SvgCharts.confusionHeatmap(r.confusion())
                                : "<p class=\"note\">" + r.numClasses()
                                        + " classes are too many for a readable heat map;"
                                        + " the JSON report holds the full matrix.</p>")
                .append("<p class=\"note\">Rows are true classes, columns predictions; shading is the share of "
                        + "the row. Blue: correct. Red: mistakes (square-root scale, so rare confusions show).</p>"
                        + "</section><section><h2>F1 per class</h2>")
                .append(SvgCharts.f1Bars(r.classification().perClass()))
                .append("<p class=\"note\">Red marks the weakest class. Hover a bar for precision and recall.</p>"
                        + "</section></div>\n");
        s.append("<div class=\"row\"><section><h2>Reliability</h2>")
                .append(SvgCharts.reliability(r.calibration()))
                .append("<p class=\"note\">Accuracy per confidence bin (")
                .append(r.calibration().bins().size())
                .append(" equal-width bins of the max probability). Blue: accuracy; red tick: mean "
                        + "confidence. A calibrated model follows the dashed diagonal; the hatched gaps, weighted by "
                        + "the examples in each bin, make up the ECE of ")
                .append(num(r.ece(), 4))
                .append(".</p></section><section><h2>Per class</h2>");
        perClassTable(s, r);
        s.append("</section></div>\n");
        gallery(s, r);
        s.append("<footer>Precision, recall and F1 as scikit-learn computes them (0 where undefined); log loss "
                        + "clips probabilities to [ε, 1−ε] with ε the float64 machine epsilon. Latency: ")
                .append(r.latency().runs())
                .append(" sequential calls of batch ")
                .append(r.latency().batchSize())
                .append("; throughput: the full pass at batch ")
                .append(r.throughputBatch())
                .append(".</footer>\n");
        return s.append("</body></html>\n").toString();
    }

    private static void headline(StringBuilder s, EvaluationReport r) {
        s.append("<div class=\"cards\">");
        card(
                s,
                "hero",
                "Accuracy",
                pct(r.accuracy()),
                Html.count(r.confusion().correct()) + " of " + Html.count(r.count()) + " correct");
        card(
                s,
                "",
                "Macro F1",
                num(r.classification().f1Macro(), 4),
                "weighted " + num(r.classification().f1Weighted(), 4));
        if (r.topKInformative()) {
            card(s, "", "Top-" + r.topK() + " accuracy", pct(r.topKAccuracy()), "true class among the top " + r.topK());
        }
        card(s, "", "Log loss", num(r.logLoss(), 4), "mean cross-entropy");
        card(s, "", "ECE", num(r.ece(), 4), "expected calibration error");
        card(
                s,
                "",
                "Latency p50",
                num(r.latency().p50Ms(), 3) + " ms",
                "p99 " + num(r.latency().p99Ms(), 3) + " ms, batch "
                        + r.latency().batchSize());
        card(
                s,
                "",
                "Throughput",
                Html.count(Math.round(r.throughput())) + "/s",
                r.exampleUnit() + ", batch " + r.throughputBatch());
        card(s, "", "Parameters", r.parameters() < 0 ? "n/a" : Html.count(r.parameters()), "stored weights");
        card(s, "", "Model size", Html.bytes(r.sizeBytes()), Html.count(r.sizeBytes()) + " bytes");
        s.append("</div>\n");
    }

    private static void card(StringBuilder s, String cls, String key, String value, String detail) {
        s.append("<div class=\"card ")
                .append(cls)
                .append("\"><div class=\"k\">")
                .append(esc(key))
                .append("</div><div class=\"v\">")
                .append(esc(value))
                .append("</div><div class=\"d\">")
                .append(esc(detail))
                .append("</div></div>");
    }

    private static void perClassTable(StringBuilder s, EvaluationReport r) {
        double worst = r.classification().perClass().stream()
                .mapToDouble(ClassMetrics::f1)
                .min()
                .orElse(0);
        s.append("<table><thead><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th>"
                + "</tr></thead><tbody>");
        for (ClassMetrics c : r.classification().perClass()) {
            s.append(c.f1() == worst ? "<tr class=\"weak\">" : "<tr>")
                    .append("<td>")
                    .append(c.clazz())
                    .append("</td><td>")
                    .append(num(c.precision(), 4))
                    .append("</td><td>")
                    .append(num(c.recall(), 4))
                    .append("</td><td>")
                    .append(num(c.f1(), 4))
                    .append("</td><td>")
                    .append(Html.count(c.support()))
                    .append("</td></tr>");
        }
        s.append("<tr><td>macro</td><td>")
                .append(num(r.classification().precisionMacro(), 4))
                .append("</td><td>")
                .append(num(r.classification().recallMacro(), 4))
                .append("</td><td>")
                .append(num(r.classification().f1Macro(), 4))
                .append("</td><td></td></tr>");
        s.append("<tr><td>weighted</td><td>")
                .append(num(r.classification().precisionWeighted(), 4))
                .append("</td><td>")
                .append(num(r.classification().recallWeighted(), 4))
                .append("</td><td>")
                .append(num(r.classification().f1Weighted(), 4))
                .append("</td><td>")
                .append(Html.count(r.count()))
                .append("</td></tr></tbody></table>");
    }

    private static void gallery(StringBuilder s, EvaluationReport r) {
        s.append("<section><h2>Most confident mistakes</h2>");
        if (r.worst().isEmpty()) {
            s.append("<p class=\"note\">")
                    .append(r.accuracy() == 1 ? "No mistakes." : "Examples are not images.")
                    .append("</p>");
        } else {
            s.append("<div class=\"gallery\">");
            for (Misclassification m : r.worst()) {
                s.append("<figure><img alt=\"example ")
                        .append(m.index())
                        .append("\" src=\"")
                        .append(PngImages.dataUri(m.pixels(), m.channels(), m.height(), m.width()))
                        .append("\"><figcaption><div class=\"lab\">true ")
                        .append(m.trueLabel())
                        .append(" → <b>")
                        .append(m.predicted())
                        .append("</b></div><div class=\"conf\">")
                        .append(pct(m.confidence()))
                        .append(" · #")
                        .append(m.index())
                        .append("</div></figcaption></figure>");
            }
            s.append("</div><p class=\"note\">Wrong predictions the model was surest of, most confident first.</p>");
        }
        s.append("</section>\n");
    }

    private static String fileName(String model) {
        Path p = Path.of(model).getFileName();
        return p == null ? model : p.toString();
    }

    /** Writes the page atomically (temporary file, then move). */
    public void write(EvaluationReport report, Path target) {
        dev.pier.io.AtomicFiles.writeUnchecked(target, render(report).getBytes(StandardCharsets.UTF_8));
    }
}
