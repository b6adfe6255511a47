package dev.pier.bench;

import dev.pier.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A self-contained HTML page for a sweep: an inline SVG curve of p50 and p99 latency against throughput with
 * the SLO line, and the step table. No scripts, fonts or images are fetched. Stateless.
 */
public final class HtmlReport {
    private static final int W = 640;
    private static final int H = 360;
    private static final int PAD = 56;

    private HtmlReport() {}

    public static void write(SweepResult sweep, Path file) throws IOException {
        AtomicFiles.writeString(file, render(sweep));
    }

    public static String render(SweepResult sweep) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pier bench: ")
                .append(esc(sweep.title()))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}"
                        + "</style></head><body>\n<h1>pier bench</h1>\n<p>")
                .append(esc(sweep.title()))
                .append("</p>\n<p><b>")
                .append(esc(SweepTable.capacityLine(sweep)))
                .append("</b></p>\n");
        sb.append(svg(sweep));
        sb.append("<table><tr><th>")
                .append(SweepJson.loadField(sweep.mode()))
                .append(
                        "</th><th>requests</th><th>errors</th><th>req/s</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th>"
                                + "<th>max ms</th><th>server queue µs</th><th>server compute µs</th><th>mean batch</th><th>errors by kind</th></tr>\n");
        for (StepResult s : sweep.steps()) {
            var l = s.latency();
            sb.append(String.format(
                    Locale.ROOT,
                    "<tr><td>%s</td><td>%d</td><td>%d</td><td>%.1f</td><td>%.3f</td>"
                            + "<td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
                    SweepTable.fmtLoad(s),
                    s.requests(),
                    s.errors(),
                    s.throughput(),
                    l.p50Ms(),
                    l.p90Ms(),
                    l.p99Ms(),
                    l.maxMs(),
                    opt(s.serverQueueUs()),
                    opt(s.serverComputeUs()),
                    opt(s.meanBatchSize()),
                    esc(s.errorsByKind().toString())));
        }
        sb.append("</table>\n</body></html>\n");
        return sb.toString();
    }

    private static String svg(SweepResult sweep) {
        List<StepResult> steps = sweep.steps();
        double maxX = 1;
        double maxY = sweep.sloP99Ms();
        for (StepResult s : steps) {
            maxX = Math.max(maxX, s.throughput());
            maxY = Math.max(maxY, s.latency().p99Ms());
        }
        maxX *= 1.1;
        maxY *= 1.1;
        StringBuilder sb = new StringBuilder(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
                W,
                H,
                W,
                H));
        sb.append(String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>"
                        + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n",
                PAD,
                H - PAD,
                W - 10,
                H - PAD,
                PAD,
                10,
                PAD,
                H - PAD));
        ticks(sb, maxX, maxY);
        sb.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">throughput (req/s), max %.0f</text>\n",
                W / 2,
                H - 8,
                maxX / 1.1));
        sb.append(String.format(
                Locale.ROOT,
                "<text x=\"15\" y=\"%d\" transform=\"rotate(-90 15 %d)\" text-anchor=\"middle\">"
                        + "latency (ms), top %.2f</text>\n",
                H / 2,
                H / 2,
                maxY));
        double sloY = y(sweep.sloP99Ms(), maxY);
        // right-aligned inside the plot, above the line unless that would leave the top of the chart
        double labelY = sloY - 4 < 22 ? sloY + 14 : sloY - 4;
        sb.append(String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"red\" "
                        + "stroke-dasharray=\"4\"/><text class=\"slo\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"red\">"
                        + "SLO p99 %.2f ms</text>\n",
                PAD,
                sloY,
                W - 10,
                sloY,
                W - 14,
                labelY,
                sweep.sloP99Ms()));
        series(sb, steps, maxX, maxY, true, "#1f77b4");
        series(sb, steps, maxX, maxY, false, "#2ca02c");
        sb.append(
                "<text x=\"70\" y=\"25\" fill=\"#1f77b4\">p99</text><text x=\"110\" y=\"25\" fill=\"#2ca02c\">p50</text>\n");
        return sb.append("</svg>\n").toString();
    }

    private static void series(
            StringBuilder sb, List<StepResult> steps, double maxX, double maxY, boolean p99, String color) {
        StringBuilder points = new StringBuilder();
        for (StepResult s : steps) {
            double v = p99 ? s.latency().p99Ms() : s.latency().p50Ms();
            double px = x(s.throughput(), maxX);
            double py = y(v, maxY);
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
            sb.append(String.format(
                    Locale.ROOT,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s %s: "
                            + "%.1f req/s, %.3f ms</title></circle>\n",
                    px,
                    py,
                    color,
                    SweepJson.loadField(s.mode()),
                    SweepTable.fmtLoad(s),
                    s.throughput(),
                    v));
            if (p99) {
                sb.append(String.format(
                        Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\">%s</text>\n",
                        px + 4,
                        py - 4,
                        SweepTable.fmtLoad(s)));
            }
        }
        sb.append(String.format(
                "<polyline fill=\"none\" stroke=\"%s\" points=\"%s\"/>\n",
                color, points.toString().strip()));
    }

    /** Tick marks and values on both axes, at round steps (1, 2 or 5 times a power of ten). */
    private static void ticks(StringBuilder sb, double maxX, double maxY) {
        double stepX = niceStep(maxX);
        for (double v = 0; v <= maxX + 1e-9; v += stepX) {
            double px = x(v, maxX);
            sb.append(String.format(
                    Locale.ROOT,
                    "<g class=\"tick x\"><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                            + "stroke=\"black\"/><text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text></g>\n",
                    px,
                    H - PAD,
                    px,
                    H - PAD + 5,
                    px,
                    H - PAD + 17,
                    label(v, stepX)));
        }
        double stepY = niceStep(maxY);
        for (double v = 0; v <= maxY + 1e-9; v += stepY) {
            double py = y(v, maxY);
            sb.append(String.format(
                    Locale.ROOT,
                    "<g class=\"tick y\"><line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                            + "stroke=\"black\"/><text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text></g>\n",
                    PAD - 5,
                    py,
                    PAD,
                    py,
                    PAD - 7,
                    py + 3,
                    label(v, stepY)));
        }
    }

    /** A round step (1, 2 or 5 times a power of ten) that cuts {@code max} into about 3 to 6 parts. */
    public static double niceStep(double max) {
        double raw = max / 6;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static String label(double v, double step) {
        int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static double x(double v, double max) {
        return PAD + v / max * (W - 10 - PAD);
    }

    private static double y(double v, double max) {
        return H - PAD - v / max * (H - PAD - 10);
    }

    private static String opt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
