package dev.pier.evaluate;

import dev.pier.api.Tensor;
import dev.pier.data.LabeledData;
import dev.pier.runtime.ModelSession;
import java.util.List;
import java.util.Map;

/**
 * Runs every example of a dataset through a session in batches and keeps the raw scores, timing only the
 * model calls, which gives the throughput figure. Not thread-safe; one use per pass.
 *
 * @param scores     {@code count × numClasses} raw outputs, row-major
 * @param numClasses scores per example
 * @param runNanos   time spent inside {@link ModelSession#run} after the warm-up call
 * @param batchSize  examples per call
 */
record BatchedPass(double[] scores, int numClasses, long runNanos, int batchSize) {

    static BatchedPass run(
            ModelSession session,
            InputBinding input,
            String output,
            LabeledData data,
            float scale,
            int preferredBatch,
            boolean warmUp) {
        int batch = input.batchSize(preferredBatch);
        int n = data.count();
        List<String> outputs = List.of(output);
        if (warmUp) {
            session.run(Map.of(input.inputName(), input.tensor(data, 0, Math.min(batch, n), scale)), outputs);
        }
        double[] all = null;
        int k = 0;
        long nanos = 0;
        for (int start = 0; start < n; start += batch) {
            int count = Math.min(batch, n - start);
            Map<String, Tensor> feed = Map.of(input.inputName(), input.tensor(data, start, count, scale));
            long t0 = System.nanoTime();
            Tensor out = session.run(feed, outputs).getFirst();
            nanos += System.nanoTime() - t0;
            int rows = input.fixedBatch() > 0 ? input.fixedBatch() : count;
            double[] scores = OutputSelection.scores(out, rows);
            if (all == null) {
                k = scores.length / rows;
                all = new double[Math.multiplyExact(n, k)];
            } else if (scores.length / rows != k) {
                throw new IllegalStateException("model output '" + output + "' changed from " + k + " to "
                        + scores.length / rows + " scores per example between batches");
            }
            System.arraycopy(scores, 0, all, start * k, count * k);
        }
        return new BatchedPass(all, k, nanos, batch);
    }

    /** Images per second over the timed calls. */
    double throughput(int count) {
        return runNanos == 0 ? 0 : count / (runNanos / 1e9);
    }
}
