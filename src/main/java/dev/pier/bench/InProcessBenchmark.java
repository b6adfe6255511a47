package dev.pier.bench;

import dev.pier.api.Tensor;
import dev.pier.runtime.ModelSession;
import java.lang.management.ManagementFactory;
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

    /**
     * Result of one run: inferences per second (requests, not rows), their latency, and the CPU cores this process
     * used meanwhile (its CPU time over the measured run ÷ the run's wall time: the calling threads with ONNX
     * Runtime's work on them, plus the JIT and the collector; -1 where the JVM cannot tell). The cores let a server's
     * figure be compared per core used when the machine's cores are shared with a load generator or other work.
     */
    public record Result(
            int threads,
            int batchSize,
            double seconds,
            long requests,
            double requestsPerSecond,
            LatencyRecorder.LatencySummary latency,
            double cpuCores) {
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
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        loop(session, inputs, threads, duration, recorder, count);
        long wall = System.nanoTime() - start;
        long cpuEnd = processCpuNanos();
        double seconds = wall / 1e9;
        long n = count.sum();
        double cores = cpuStart < 0 || cpuEnd < 0 ? -1 : (double) (cpuEnd - cpuStart) / wall;
        return new Result(threads, batchSize, seconds, n, n / seconds, recorder.summary(), cores);
    }

    /** CPU time of this whole process in nanoseconds, or -1 where the platform's bean does not report it. */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : -1;
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
