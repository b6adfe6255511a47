package dev.pier.bench;

import dev.pier.api.Tensor;
import dev.pier.runtime.ModelSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The baseline every server figure is compared with: calls {@link ModelSession#run} directly, in this
 * process, from {@code threads} threads in a closed loop, with no protocol or queue in between.
 */
public final class InProcessBenchmark {

    /** Result of one run: inferences per second (requests, not rows) and their latency. */
    public record Result(
            int threads,
            int batchSize,
            double seconds,
            long requests,
            double requestsPerSecond,
            LatencyRecorder.LatencySummary latency) {
        public double rowsPerSecond() {
            return requestsPerSecond * batchSize;
        }
    }

    private InProcessBenchmark() {}

    /** Runs a warm-up of {@code warmup}, then measures for {@code duration}. */
    public static Result run(
            ModelSession session,
            Map<String, Tensor> inputs,
            int batchSize,
            int threads,
            Duration warmup,
            Duration duration)
            throws InterruptedException {
        loop(session, inputs, threads, warmup, null, new LongAdder());
        LatencyRecorder recorder = new LatencyRecorder();
        LongAdder count = new LongAdder();
        long start = System.nanoTime();
        loop(session, inputs, threads, duration, recorder, count);
        double seconds = (System.nanoTime() - start) / 1e9;
        long n = count.sum();
        return new Result(threads, batchSize, seconds, n, n / seconds, recorder.summary());
    }

    private static void loop(
            ModelSession session,
            Map<String, Tensor> inputs,
            int threads,
            Duration duration,
            LatencyRecorder recorder,
            LongAdder count)
            throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().name("bench-" + t).start(() -> {
                while (System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    session.run(inputs, List.of());
                    if (recorder != null) {
                        recorder.recordNanos(System.nanoTime() - t0);
                    }
                    count.increment();
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
    }
}
