package dev.pier.evaluate.report;

import static dev.pier.evaluate.report.Html.mix;
import static dev.pier.evaluate.report.Html.num;

import dev.pier.evaluate.metrics.Calibration;
import dev.pier.evaluate.metrics.ClassMetrics;
import dev.pier.evaluate.metrics.ConfusionMatrix;
import dev.pier.evaluate.metrics.ReliabilityBin;
import java.util.List;

/**
 * The report's charts as inline SVG (no xmlns needed inside HTML5, so the page names no URL at all).
 * Every shape carries a {@code <title>} so hovering shows the exact figure. Pure and thread-safe.
 */
final class SvgCharts {

    private static final int WHITE = 0xfbfcfe;
    private static final int BLUE = 0x1d4ed8;
    private static final int RED = 0xdc2626;

    private SvgCharts() {}

    /**
     * Confusion matrix as a heat map, each row normalised by its support. Correct cells (the diagonal) shade
     * blue by recall; mistakes shade red by the square root of their share, so a 1% confusion is already
     * visible next to a 98% diagonal.
     */
    static String confusionHeatmap(ConfusionMatrix cm) {
        int k = cm.numClasses();
        int cell = Math.max(10, Math.min(44, 440 / k));
        boolean labels = cell >= 22;
        int left = 56, top = 40;
        int w = left + k * cell + 12, h = top + k * cell + 12;
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"chart\" role=\"img\" aria-label=\"confusion matrix heat map\" viewBox=\"0 0 ")
                .append(w)
                .append(' ')
                .append(h)
                .append("\" width=\"")
                .append(w)
                .append("\" height=\"")
                .append(h)
                .append("\">");
        s.append(text(left + k * cell / 2.0, 12, "predicted class", "axis", "middle"));
        s.append("<text class=\"axis\" text-anchor=\"middle\" transform=\"translate(14 ")
                .append(num(top + k * cell / 2.0, 1))
                .append(") rotate(-90)\">true class</text>");
        for (int t = 0; t < k; t++) {
            long support = cm.support(t);
            if (labels || t % 5 == 0) {
                s.append(text(left + t * cell + cell / 2.0, top - 8, String.valueOf(t), "tick", "middle"));
                s.append(text(left - 6, top + t * cell + cell / 2.0 + 4, String.valueOf(t), "tick", "end"));
            }
            for (int p = 0; p < k; p++) {
                long c = cm.count(t, p);
                double share = support == 0 ? 0 : (double) c / support;
                String fill = c == 0
                        ? "#f4f5f7"
                        : t == p
                                ? mix(WHITE, BLUE, 0.15 + 0.85 * share)
                                : mix(WHITE, RED, 0.12 + 0.88 * Math.sqrt(share));
                int x = left + p * cell, y = top + t * cell;
                s.append("<rect x=\"")
                        .append(x)
                        .append("\" y=\"")
                        .append(y)
                        .append("\" width=\"")
                        .append(cell - 1)
                        .append("\" height=\"")
                        .append(cell - 1)
                        .append("\" fill=\"")
                        .append(fill)
                        .append("\"><title>true ")
                        .append(t)
                        .append(", predicted ")
                        .append(p)
                        .append(": ")
                        .append(c)
                        .append(" (")
                        .append(num(share * 100, 1))
                        .append("% of class ")
                        .append(t)
                        .append(")</title></rect>");
                if (labels && c > 0) {
                    boolean dark = t == p ? share > 0.45 : Math.sqrt(share) > 0.5;
                    s.append(text(
                            x + (cell - 1) / 2.0,
                            y + cell / 2.0 + 4,
                            String.valueOf(c),
                            dark ? "cell light" : "cell",
                            "middle"));
                }
            }
        }
        return s.append("</svg>").toString();
    }

    /** Horizontal F1 bars per class; the weakest class is drawn red. */
    static String f1Bars(List<ClassMetrics> perClass) {
        int k = perClass.size();
        int row = Math.max(8, Math.min(26, 440 / Math.max(1, k)));
        int left = 40, barMax = 300, top = 8;
        int w = left + barMax + 60, h = top + k * row + 24;
        double worst = perClass.stream().mapToDouble(ClassMetrics::f1).min().orElse(0);
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"chart\" role=\"img\" aria-label=\"per-class F1 bars\" viewBox=\"0 0 ")
                .append(w)
                .append(' ')
                .append(h)
                .append("\" width=\"")
                .append(w)
                .append("\" height=\"")
                .append(h)
                .append("\">");
        for (double g = 0; g <= 1.0001; g += 0.25) {
            double x = left + g * barMax;
            s.append(line(x, top, x, top + k * row, "grid"));
            s.append(text(x, top + k * row + 16, num(g, 2), "tick", "middle"));
        }
        for (int i = 0; i < k; i++) {
            ClassMetrics c = perClass.get(i);
            double y = top + i * row;
            String fill = c.f1() == worst ? "#dc2626" : "#2563eb";
            s.append("<rect x=\"")
                    .append(left)
                    .append("\" y=\"")
                    .append(num(y + 2, 1))
                    .append("\" width=\"")
                    .append(num(Math.max(0.5, c.f1() * barMax), 1))
                    .append("\" height=\"")
                    .append(row - 4)
                    .append("\" rx=\"2\" fill=\"")
                    .append(fill)
                    .append("\"><title>class ")
                    .append(c.clazz())
                    .append(": F1 ")
                    .append(num(c.f1(), 4))
                    .append(", precision ")
                    .append(num(c.precision(), 4))
                    .append(", recall ")
                    .append(num(c.recall(), 4))
                    .append(", support ")
                    .append(c.support())
                    .append("</title></rect>");
            if (row >= 14) {
                s.append(text(left - 6, y + row / 2.0 + 4, String.valueOf(c.clazz()), "tick", "end"));
                s.append(text(left + c.f1() * barMax + 4, y + row / 2.0 + 4, num(c.f1(), 3), "value", "start"));
            }
        }
        return s.append("</svg>").toString();
    }

    /**
     * Reliability diagram: per confidence bin, a bar up to the bin's accuracy, a red tick at its mean
     * confidence with the gap between the two hatched red (over the bar when accuracy exceeds confidence), the diagonal a perfectly calibrated model would follow; below it, how many examples
     * fall in each bin.
     */
    static String reliability(Calibration cal) {
        int size = 320, left = 48, top = 12, hist = 56;
        int w = left + size + 16, h = top + size + 34 + hist + 20;
        long maxCount =
                cal.bins().stream().mapToLong(ReliabilityBin::count).max().orElse(1);
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"chart\" role=\"img\" aria-label=\"reliability diagram\" viewBox=\"0 0 ")
                .append(w)
                .append(' ')
                .append(h)
                .append("\" width=\"")
                .append(w)
                .append("\" height=\"")
                .append(h)
                .append("\">");
        s.append("<defs><pattern id=\"gap\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\""
                + " patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#dc2626\""
                + " stroke-width=\"2\" stroke-opacity=\"0.8\"/></pattern></defs>");
        for (double g = 0; g <= 1.0001; g += 0.2) {
            s.append(line(left + g * size, top, left + g * size, top + size, "grid"));
            s.append(line(left, top + size - g * size, left + size, top + size - g * size, "grid"));
            s.append(text(left + g * size, top + size + 14, num(g, 1), "tick", "middle"));
            s.append(text(left - 6, top + size - g * size + 4, num(g, 1), "tick", "end"));
        }
        for (ReliabilityBin b : cal.bins()) {
            if (b.count() == 0) {
                continue;
            }
            double x = left + b.lower() * size, bw = (b.upper() - b.lower()) * size;
            double accY = top + size - b.accuracy() * size, confY = top + size - b.meanConfidence() * size;
            s.append(rect(
                    x + 1,
                    accY,
                    bw - 2,
                    top + size - accY,
                    "#2563eb",
                    "bin " + num(b.lower(), 2) + "–"
                            + num(b.upper(), 2) + ": accuracy " + num(b.accuracy(), 4) + ", mean confidence "
                            + num(b.meanConfidence(), 4) + ", " + b.count() + " examples"));
            s.append(rect(
                    x + 1,
                    Math.min(accY, confY),
                    bw - 2,
                    Math.abs(accY - confY),
                    "url(#gap)",
                    "gap " + num(b.gap(), 4)));
            s.append(line(x + 1, confY, x + bw - 1, confY, "conf"));
            double hh = (double) b.count() / maxCount * hist;
            s.append(rect(x + 1, top + size + 28 + hist - hh, bw - 2, hh, "#94a3b8", b.count() + " examples"));
        }
        s.append("<line class=\"diag\" x1=\"")
                .append(left)
                .append("\" y1=\"")
                .append(top + size)
                .append("\" x2=\"")
                .append(left + size)
                .append("\" y2=\"")
                .append(top)
                .append("\"/>");
        s.append(text(left + size / 2.0, h - 4, "confidence (max probability)", "axis", "middle"));
        s.append("<text class=\"axis\" text-anchor=\"middle\" transform=\"translate(12 ")
                .append(num(top + size / 2.0, 1))
                .append(") rotate(-90)\">accuracy</text>");
        s.append(text(left + 4, top + size + 40, "examples per bin", "tick", "start"));
        return s.append("</svg>").toString();
    }

    private static String text(double x, double y, String content, String cls, String anchor) {
        return "<text class=\"" + cls + "\" x=\"" + num(x, 1) + "\" y=\"" + num(y, 1) + "\" text-anchor=\"" + anchor
                + "\">" + Html.esc(content) + "</text>";
    }

    private static String line(double x1, double y1, double x2, double y2, String cls) {
        return "<line class=\"" + cls + "\" x1=\"" + num(x1, 1) + "\" y1=\"" + num(y1, 1) + "\" x2=\"" + num(x2, 1)
                + "\" y2=\"" + num(y2, 1) + "\"/>";
    }

    private static String rect(double x, double y, double w, double h, String fill, String title) {
        return "<rect x=\"" + num(x, 1) + "\" y=\"" + num(y, 1) + "\" width=\"" + num(Math.max(0, w), 1)
                + "\" height=\"" + num(Math.max(0, h), 1) + "\" fill=\"" + fill + "\"><title>" + Html.esc(title)
                + "</title></rect>";
    }
}
