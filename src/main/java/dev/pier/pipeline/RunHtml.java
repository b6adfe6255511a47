package dev.pier.pipeline;

import java.util.Locale;
import java.util.Map;

/** A run record as one self-contained HTML page (inline CSS, no scripts, nothing fetched). Pure. */
final class RunHtml {
    private RunHtml() {}

    static String render(RunRecord r) {
        StringBuilder h = new StringBuilder(4096);
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>pier pipeline ")
                .append(esc(r.pipeline()))
                .append(" run ")
                .append(esc(r.runId()))
                .append(
                        "</title><style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}"
                                + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}"
                                + "th{background:#f4f4f4}.ok{color:#176c2a}.bad{color:#b00020}code{font-size:12px}</style></head><body>");
        h.append("<h1>")
                .append(esc(r.pipeline()))
                .append(" &mdash; run ")
                .append(esc(r.runId()))
                .append("</h1>");
        h.append("<p>Status <b class=\"")
                .append(r.status().equals("succeeded") ? "ok" : "bad")
                .append("\">")
                .append(esc(r.status()))
                .append("</b>, started ")
                .append(esc(r.startedAt()))
                .append(", ")
                .append(fmt(r.seconds()))
                .append(" s, Pier ")
                .append(esc(r.pierVersion()))
                .append(".</p>");
        if (r.error() != null) {
            h.append("<p class=\"bad\">").append(esc(r.error())).append("</p>");
        }
        h.append(
                "<h2>Stages</h2><table><tr><th>stage</th><th>status</th><th>why</th><th>seconds</th><th>key</th></tr>");
        for (StageReport s : r.stages()) {
            h.append("<tr><td>")
                    .append(esc(s.stage()))
                    .append("</td><td>")
                    .append(esc(s.status()))
                    .append("</td><td>")
                    .append(esc(s.reason()))
                    .append("</td><td>")
                    .append(fmt(s.seconds()))
                    .append("</td><td><code>")
                    .append(esc(Hashes.shortForm(s.key())))
                    .append("</code></td></tr>");
        }
        h.append("</table>");
        if (!r.gates().isEmpty()) {
            h.append(
                    "<h2>Gates</h2><table><tr><th>gate</th><th>verdict</th><th>candidate</th><th>limit / baseline</th><th>detail</th></tr>");
            for (GateResult g : r.gates()) {
                h.append("<tr><td>")
                        .append(esc(g.gate()))
                        .append("</td><td class=\"")
                        .append(g.passed() ? "ok\">pass" : "bad\">fail")
                        .append("</td><td>")
                        .append(fmt(g.candidate()))
                        .append("</td><td>")
                        .append(fmt(g.limit()))
                        .append("</td><td>")
                        .append(esc(g.message()))
                        .append("</td></tr>");
            }
            h.append("</table>");
        }
        if (r.candidate() != null) {
            h.append(
                    "<h2>Candidate and baseline</h2><table><tr><th>figure</th><th>candidate</th><th>served baseline</th></tr>");
            for (Map.Entry<String, Object> e : r.candidate().entrySet()) {
                Object b = r.baseline() == null ? null : r.baseline().get(e.getKey());
                h.append("<tr><td>")
                        .append(esc(e.getKey()))
                        .append("</td><td>")
                        .append(value(e.getValue()))
                        .append("</td><td>")
                        .append(b == null ? "&mdash;" : value(b))
                        .append("</td></tr>");
            }
            h.append("</table>");
        }
        if (r.published() != null) {
            h.append("<h2>Published</h2><p>")
                    .append(esc(String.valueOf(r.published())))
                    .append("</p>");
        }
        if (!r.decisions().isEmpty()) {
            h.append("<h2>Canary decisions</h2><ul>");
            r.decisions()
                    .forEach(
                            d -> h.append("<li>").append(esc(String.valueOf(d))).append("</li>"));
            h.append("</ul>");
        }
        h.append("<h2>Parameters</h2><pre>")
                .append(esc(String.valueOf(r.parameters())))
                .append("</pre></body></html>\n");
        return h.toString();
    }

    private static String value(Object v) {
        return v instanceof Double d ? fmt(d) : esc(String.valueOf(v));
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.4f", d);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
