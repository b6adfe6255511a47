package dev.pier.evaluate;

import dev.pier.api.Tensor;
import dev.pier.data.LabeledData;
import dev.pier.evaluate.metrics.Percentiles;
import dev.pier.runtime.ModelSession;
import java.util.List;
import java.util.Map;

/**
 * Measures single-example latency: untimed warm-up calls, then timed calls cycling through the dataset's
 * first examples (inputs are built before the clock starts). Not thread-safe; runs one call at a time so
 * the figure is latency, not queueing.
 */
final class LatencyProbe {

    private LatencyProbe() {}

    static LatencyFigures measure(
            ModelSession session,
            InputBinding input,
            String output,
            LabeledData data,
            float scale,
            int warmupRuns,
            int runs) {
        int batch = input.batchSize(1);
        int distinct = Math.min(data.count(), 64);
        Tensor[] inputs = new Tensor[distinct];
        for (int i = 0; i < distinct; i++) {
            inputs[i] = input.tensor(data, i, Math.min(batch, data.count() - i), scale);
        }
        List<String> outputs = List.of(output);
        for (int i = 0; i < warmupRuns; i++) {
            session.run(Map.of(input.inputName(), inputs[i % distinct]), outputs);
        }
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            Map<String, Tensor> feed = Map.of(input.inputName(), inputs[i % distinct]);
            long t0 = System.nanoTime();
            session.run(feed, outputs);
            millis[i] = (System.nanoTime() - t0) / 1e6;
        }
        return new LatencyFigures(Percentiles.of(millis, 50), Percentiles.of(millis, 99), runs, batch);
    }
}
