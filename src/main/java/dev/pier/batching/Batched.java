package dev.pier.batching;

import dev.pier.api.Tensor;
import java.util.List;

/**
 * One request's share of a runtime call.
 *
 * @param outputs      this request's rows of each output
 * @param queueNanos   time from submit until its batch started to run
 * @param computeNanos time of the runtime call that served it (shared with the rest of its batch)
 * @param batchRows    rows in that runtime call
 * @param leader       true for exactly one request of each runtime call, so observers count executions once
 */
public record Batched(List<Tensor> outputs, long queueNanos, long computeNanos, int batchRows, boolean leader) {
    public Batched {
        outputs = List.copyOf(outputs);
    }
}
