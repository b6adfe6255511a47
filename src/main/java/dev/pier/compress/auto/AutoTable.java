package dev.pier.compress.auto;

import dev.pier.compress.ModelFigures;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text table of a {@code compress auto} run: the original and every candidate, one a row, under a header,
 * with each column as wide as its widest cell so the columns line up whatever the candidates are called.
 * Stateless.
 */
public final class AutoTable {
    private static final String[] HEADER = {"variant", "accuracy", "bytes", "p50 ms", "budget", ""};

    private AutoTable() {}

    public static String render(AutoReport r) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        rows.add(row("original", r.original(), "", ""));
        for (Candidate c : r.candidates()) {
            String chosen = c.name().equals(r.chosen()) ? "<= chosen" : "";
            rows.add(
                    c.figures() == null
                            ? new String[] {c.name(), "skipped: " + c.error(), "", "", "", ""}
                            : row(c.name(), c.figures(), c.withinBudget() ? "within" : "over", chosen));
        }
        int[] width = new int[HEADER.length];
        for (String[] row : rows) {
            if (row[1].startsWith("skipped: ")) {
                width[0] = Math.max(width[0], row[0].length()); // a skip reason spans the figures' columns
                continue;
            }
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ").append(pad(row[0], width[0], false));
            if (row[1].startsWith("skipped: ")) {
                line.append("  ").append(row[1]);
            } else {
                for (int i = 1; i < row.length; i++) {
                    line.append("  ").append(pad(row[i], width[i], i <= 3));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String[] row(String name, ModelFigures f, String budget, String chosen) {
        return new String[] {
            name,
            String.format(Locale.ROOT, "%.4f", f.accuracy()),
            String.format(Locale.ROOT, "%,d", f.sizeBytes()),
            String.format(Locale.ROOT, "%.4f", f.p50Ms()),
            budget,
            chosen
        };
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }
}
