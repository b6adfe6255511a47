package dev.pier.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives a {@link Transport} in one of two ways and measures what comes back.
 * <ul>
 * <li>Closed loop ({@link #closedLoop}): N workers, each sending its next request as soon as the previous
 * answer arrives. Latency is send-to-answer.</li>
 * <li>Open loop ({@link #openLoop}): requests scheduled at fixed intervals whatever the server does; latency
 * is measured from the <em>scheduled</em> send time, so time spent waiting behind a slow server counts
 * (no coordinated omission). At most {@code maxOutstanding} requests may be in flight; a request due when
 * the cap is reached is not sent and counts as a {@link ErrorKinds#DROPPED} error.</li>
 * </ul>
 * Requests still unanswered {@code drain} after the step ends count as {@link ErrorKinds#UNANSWERED}.
 * Stateless; each call uses its own counters.
 */
public final class LoadGenerator {
    private final Transport transport;
    private final Duration drain;

    public LoadGenerator(Transport transport, Duration drain) {
        this.transport = transport;
        this.drain = drain;
    }

    /** Per-step counters, shared by the callbacks of one step. */
    private static final class Step {
        final LatencyRecorder latency = new LatencyRecorder();
        final LongAdder ok = new LongAdder();
        final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        final AtomicInteger outstanding = new AtomicInteger();
        final AtomicLong lastDone = new AtomicLong();
        final AtomicInteger next = new AtomicInteger();

        void done(long startNanos, Throwable failure) {
            long now = System.nanoTime();
            if (failure == null) {
                latency.recordNanos(now - startNanos);
                ok.increment();
            } else {
                error(ErrorKinds.of(failure));
            }
            lastDone.accumulateAndGet(now, Math::max);
            outstanding.decrementAndGet();
        }

        void error(String kind) {
            errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
        }

        StepResult result(StepResult.Mode mode, double load, double seconds) {
            Map<String, Long> byKind = new java.util.TreeMap<>();
            errors.forEach((k, v) -> byKind.put(k, v.sum()));
            long errorCount =
                    byKind.values().stream().mapToLong(Long::longValue).sum();
            long success = ok.sum();
            return new StepResult(
                    mode,
                    load,
                    success + errorCount,
                    errorCount,
                    byKind,
                    success / seconds,
                    latency.summary(),
                    null,
                    null,
                    null);
        }
    }

    /** Closed loop with {@code concurrency} workers for {@code duration}. */
    public StepResult closedLoop(int concurrency, Duration duration) throws InterruptedException {
        Step s = new Step();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        for (int w = 0; w < concurrency; w++) {
            s.outstanding.incrementAndGet();
            sendClosed(s, deadline);
        }
        awaitDrain(s, deadline);
        double seconds = Math.max(duration.toNanos(), s.lastDone.get() - start) / 1e9;
        return s.result(StepResult.Mode.CONCURRENCY, concurrency, seconds);
    }

    private void sendClosed(Step s, long deadline) {
        long t0 = System.nanoTime();
        transport.send(s.next.getAndIncrement()).onComplete(ar -> {
            // count the next request before this one is done, so the in-flight count never touches zero
            // while the worker goes on (the step would look drained and end early)
            boolean again = System.nanoTime() < deadline;
            if (again) {
                s.outstanding.incrementAndGet();
            }
            s.done(t0, ar.failed() ? ar.cause() : null);
            if (again) {
                sendClosed(s, deadline);
            }
        });
    }

    /** Open loop at {@code rate} requests/s for {@code duration}, at most {@code maxOutstanding} in flight. */
    public StepResult openLoop(double rate, Duration duration, int maxOutstanding) throws InterruptedException {
        if (!(rate > 0) || maxOutstanding < 1) {
            throw new IllegalArgumentException(
                    "rate must be > 0 and the outstanding cap >= 1, got " + rate + " and " + maxOutstanding);
        }
        Step s = new Step();
        double interval = 1e9 / rate;
        long total = (long) Math.floor(rate * duration.toNanos() / 1e9);
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long scheduled = start + (long) (i * interval);
            long wait;
            while ((wait = scheduled - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (s.outstanding.get() >= maxOutstanding) {
                s.error(ErrorKinds.DROPPED);
                continue;
            }
            s.outstanding.incrementAndGet();
            // the clock starts at the scheduled time: if this thread or the server is late, the wait counts
            transport
                    .send(s.next.getAndIncrement())
                    .onComplete(ar -> s.done(scheduled, ar.failed() ? ar.cause() : null));
        }
        long end = start + duration.toNanos();
        awaitDrain(s, end);
        double seconds = Math.max(duration.toNanos(), s.lastDone.get() - start) / 1e9;
        return s.result(StepResult.Mode.RATE, rate, seconds);
    }

    private void awaitDrain(Step s, long stepEnd) throws InterruptedException {
        long giveUp = stepEnd + drain.toNanos();
        while (System.nanoTime() < stepEnd) {
            TimeUnit.MILLISECONDS.sleep(1);
        }
        while (s.outstanding.get() > 0 && System.nanoTime() < giveUp) {
            TimeUnit.MILLISECONDS.sleep(1);
        }
        int left = s.outstanding.get();
        for (int i = 0; i < left; i++) {
            s.error(ErrorKinds.UNANSWERED);
        }
    }
}
