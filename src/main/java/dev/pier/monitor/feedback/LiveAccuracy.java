package dev.pier.monitor.feedback;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Confusion counts of one model version from feedback, and the figures derived from them. Macro averages run
 * over the classes seen so far (as a true label or as a prediction); a class never predicted has precision 0
 * and one never true has recall 0, and F1 is 0 where precision + recall is 0 (scikit-learn's
 * {@code zero_division=0} with {@code labels} = the classes seen). Thread-safe (synchronized; updates are a
 * few map operations).
 */
public final class LiveAccuracy {
    /** The figures at one moment. All are 0 before the first feedback. */
    public record Snapshot(long count, long correct, double accuracy, double precision, double recall, double f1) {}

    private final Map<Long, long[]> pairs = new HashMap<>(); // (truth << 32 | predicted) -> count
    private long count;
    private long correct;

    public synchronized void record(int truth, int predicted) {
        pairs.computeIfAbsent(((long) truth << 32) | (predicted & 0xFFFF_FFFFL), k -> new long[1])[0]++;
        count++;
        if (truth == predicted) {
            correct++;
        }
    }

    public synchronized Snapshot snapshot() {
        if (count == 0) {
            return new Snapshot(0, 0, 0, 0, 0, 0);
        }
        Map<Integer, long[]> perClass = new HashMap<>(); // class -> {tp, predicted, actual}
        for (Map.Entry<Long, long[]> e : pairs.entrySet()) {
            int truth = (int) (e.getKey() >>> 32);
            int predicted = (int) (long) e.getKey();
            long n = e.getValue()[0];
            perClass.computeIfAbsent(truth, c -> new long[3])[2] += n;
            perClass.computeIfAbsent(predicted, c -> new long[3])[1] += n;
            if (truth == predicted) {
                perClass.get(truth)[0] += n;
            }
        }
        double p = 0;
        double r = 0;
        double f = 0;
        for (int c : new TreeSet<>(perClass.keySet())) {
            long[] v = perClass.get(c);
            double precision = v[1] == 0 ? 0 : (double) v[0] / v[1];
            double recall = v[2] == 0 ? 0 : (double) v[0] / v[2];
            p += precision;
            r += recall;
            f += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        }
        int k = perClass.size();
        return new Snapshot(count, correct, (double) correct / count, p / k, r / k, f / k);
    }
}
