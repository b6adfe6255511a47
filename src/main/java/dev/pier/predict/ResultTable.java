package dev.pier.predict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Renders outputs as text: each output's name, datatype, shape and values (the first 100), and, for a 2-D
 * float output with a class axis, the top-k classes of each row with scores and labels. Stateless.
 */
final class ResultTable {
    static final int MAX_VALUES = 100;

    private ResultTable() {}

    static String render(PredictResult result, int topK) {
        StringBuilder out = new StringBuilder();
        for (OutputValues o : result.outputs()) {
            out.append(String.format(
                    Locale.ROOT, "output %s  %s  %s%n", o.name(), o.datatype(), Arrays.toString(o.shape())));
            out.append("  values: ").append(values(o)).append(System.lineSeparator());
            if (isClassScores(o)) {
                List<String> labels = result.model() == null
                        ? null
                        : result.model().labels(o.name()).orElse(null);
                int classes = (int) o.shape()[1];
                for (int row = 0; row < o.shape()[0]; row++) {
                    out.append(String.format(Locale.ROOT, "  row %d top-%d:", row, Math.min(topK, classes)));
                    for (int c : top(o.numbers(), row * classes, classes, topK)) {
                        String label = labels != null && c < labels.size() ? " " + labels.get(c) : "";
                        out.append(
                                String.format(Locale.ROOT, "  %d%s (%.6f)", c, label, o.numbers()[row * classes + c]));
                    }
                    out.append(System.lineSeparator());
                }
            }
        }
        return out.toString().stripTrailing();
    }

    /** Indices of the k largest scores in one row, best first (ties: lower index first). */
    static int[] top(double[] scores, int offset, int classes, int k) {
        return IntStream.range(0, classes)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer c) -> -scores[offset + c])
                        .thenComparingInt(c -> c))
                .limit(k)
                .mapToInt(Integer::intValue)
                .toArray();
    }

    private static boolean isClassScores(OutputValues o) {
        boolean floating = switch (o.datatype()) {
            case "FP32", "FP64", "JSON" -> o.numeric();
            default -> false;
        };
        return floating && o.shape().length == 2 && o.shape()[1] >= 2;
    }

    private static String values(OutputValues o) {
        List<String> parts = new ArrayList<>();
        int n = o.numeric() ? o.numbers().length : o.texts().size();
        for (int i = 0; i < Math.min(n, MAX_VALUES); i++) {
            parts.add(
                    o.numeric()
                            ? number(o.numbers()[i], o.datatype())
                            : o.texts().get(i));
        }
        String s = "[" + String.join(", ", parts) + "]";
        return n > MAX_VALUES ? s + " ... (" + (n - MAX_VALUES) + " more)" : s;
    }

    private static String number(double v, String datatype) {
        if (datatype.startsWith("INT") || v == Math.rint(v) && Math.abs(v) < 1e15 && !datatype.startsWith("FP")) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
