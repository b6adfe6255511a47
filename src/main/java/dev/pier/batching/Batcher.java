package dev.pier.batching;

import dev.pier.api.DeadlineExceededException;
import dev.pier.api.ModelSignature;
import dev.pier.api.PierException;
import dev.pier.api.Tensor;
import dev.pier.api.UnavailableException;
import dev.pier.runtime.ModelSession;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Decorates a {@link ModelSession} with a per-version scheduler: a bounded FIFO queue, {@code instances}
 * execution threads (the only threads that call the inner session, so the version never runs more than
 * {@code instances} calls at once), deadlines checked when a batch is formed (expired work never runs, nor
 * work whose future the caller cancelled), and,
 * when {@link BatchingOptions#merges()}, dynamic batching: requests from any caller whose inputs agree on
 * every non-batch dimension and type and that ask for the same outputs are stacked into one runtime call and
 * the outputs split back by each request's row count. A batch takes at most its instance's share of the rows in
 * the system ({@link #fairShare}), so that every instance keeps working.
 *
 * <p>A tiny model skips the hand-off ({@link #INLINE_MAX_NANOS}): when requests are not merged, nothing is
 * queued, an instance is free and the moving average of this version's runtime calls predicts at most that
 * long for the request's size, {@link #submit} runs it on the caller's thread. Waking an execution thread and
 * waking the caller's event loop again for the answer cost more than such a call itself (two futex wake-ups and
 * two context switches against ~10 µs of ONNX Runtime for the MNIST MLP, docs/benchmarks.md "Hot path profile").
 * The instance bound holds for both paths: inline calls take an instance like the threads do.
 *
 * <p>Thread-safe. {@link #submit} never waits for other requests. Owns the inner session: {@link #close()} runs
 * what is queued, stops the threads, then closes it.
 */
public final class Batcher implements ModelSession, ScheduledSession {
    private final ModelSession inner;
    private final BatchingOptions options;
    private final String name;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Thread> threads = new ArrayList<>();
    private boolean closing;
    /** Runtime calls in progress, on the execution threads and inline; never above {@code options.instances()}. */
    private int running;
    /** Rows in the batches the execution threads are running, for {@link #fairShare}. */
    private int runningRows;
    /**
     * Moving average of one-request runtime calls in nanoseconds per input element (-1 until one ran): predicts
     * whether a request is short enough to run inline. Racy updates only blur the average.
     */
    private volatile double nanosPerElement = -1;

    /**
     * Longest predicted runtime call that runs on the submitting thread instead of an execution thread. The
     * caller may be an event loop: 100 µs is far under what delays other connections noticeably, and above the
     * ~10-30 µs of small models (the MNIST MLP, tabular models) that are the ones paying more for the hand-off
     * than for the call. {@code -Dpier.batching.inline-max-nanos=N} overrides it (0 turns inline calls off), so the
     * choice can be measured against the hand-off on the same build.
     */
    public static final long INLINE_MAX_NANOS = Long.getLong("pier.batching.inline-max-nanos", 100_000);

    /** @param name for thread names and error messages, e.g. {@code "model 'mnist' version 1"} */
    public Batcher(ModelSession inner, BatchingOptions options, String name) {
        this.inner = inner;
        this.options = options;
        this.name = name;
        for (int i = 0; i < options.instances(); i++) {
            Thread t = Thread.ofPlatform()
                    .daemon()
                    .name("pier-infer-" + name.replaceAll("[^A-Za-z0-9._-]", "") + "-" + i)
                    .start(this::loop);
            threads.add(t);
        }
    }

    public BatchingOptions options() {
        return options;
    }

    /**
     * Queues a request; the future completes with its outputs, or fails with {@link UnavailableException} at
     * once when the queue is full, {@link DeadlineExceededException} when {@code deadlineNanos} (a
     * {@link System#nanoTime()} value; {@link Long#MAX_VALUE} for none) passes before it runs, or the runtime's error.
     */
    @Override
    public CompletableFuture<Batched> submit(Map<String, Tensor> inputs, List<String> outputNames, long deadlineNanos) {
        Pending p = new Pending(
                Map.copyOf(inputs), List.copyOf(outputNames), deadlineNanos, System.nanoTime(), options.merges());
        boolean inline;
        lock.lock();
        try {
            if (closing) {
                return CompletableFuture.failedFuture(new UnavailableException(name + " is being unloaded"));
            }
            inline = runsInline(p);
            if (inline) {
                running++;
            } else {
                if (queue.size() >= options.maxQueueSize()) {
                    return CompletableFuture.failedFuture(
                            new UnavailableException("server busy: " + options.maxQueueSize()
                                    + " requests are queued for " + name + " (max_queue_size); retry later"));
                }
                queue.addLast(p);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (inline) {
            try {
                execute(List.of(p));
            } finally {
                finished(List.of());
            }
        }
        return p.result;
    }

    /** Under the lock: whether {@code p} runs on the caller's thread (see the class comment). */
    private boolean runsInline(Pending p) {
        double perElement = nanosPerElement;
        return perElement >= 0
                && !options.merges()
                && queue.isEmpty()
                && running < options.instances()
                && perElement * p.elements <= INLINE_MAX_NANOS
                && p.deadline - p.enqueued > 0;
    }

    /** A runtime call ended: its instance is free for the next batch. {@code batch}: what a thread took, else empty. */
    private void finished(List<Pending> batch) {
        lock.lock();
        try {
            running--;
            for (Pending p : batch) {
                runningRows -= p.rows;
            }
            if (!queue.isEmpty()) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int queueDepth() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Blocking form, for callers such as warm-up; servers use {@link #submit}. */
    @Override
    public List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
        try {
            return submit(inputs, outputNames, Long.MAX_VALUE).join().outputs();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    @Override
    public ModelSignature signature() {
        return inner.signature();
    }

    @Override
    public Map<String, List<String>> dimensionNames() {
        return inner.dimensionNames();
    }

    @Override
    public long sizeBytes() {
        return inner.sizeBytes();
    }

    private void loop() {
        while (true) {
            List<Pending> batch = next();
            if (batch == null) {
                return;
            }
            try {
                execute(batch);
            } finally {
                finished(batch);
            }
        }
    }

    /** Waits for the policy to flush and takes the batch; null once closing and empty. */
    private List<Pending> next() {
        List<Runnable> failures = new ArrayList<>();
        lock.lock();
        try {
            while (true) {
                long earliestDeadline = dropExpired(failures);
                if (!failures.isEmpty()) {
                    lock.unlock(); // callers' callbacks run outside the lock
                    try {
                        failures.forEach(Runnable::run);
                    } finally {
                        failures.clear();
                        lock.lock();
                    }
                    continue;
                }
                if (queue.isEmpty()) {
                    if (closing) {
                        return null;
                    }
                    changed.awaitUninterruptibly();
                    continue;
                }
                if (running >= options.instances()) {
                    // every instance is busy with inline calls: wait for one (or for the next deadline to drop)
                    changed.awaitNanos(Math.max(1, earliestDeadline - System.nanoTime()));
                    continue;
                }
                Pending head = queue.peekFirst();
                long now = System.nanoTime();
                int compatible = compatibleRows(head);
                FlushPolicy.Decision d = FlushPolicy.decide(compatible, (now - head.enqueued) / 1000, closing, options);
                if (d instanceof FlushPolicy.Wait w) {
                    long nanos = Math.min(w.micros(), Long.MAX_VALUE / 1000) * 1000;
                    long untilDeadline = earliestDeadline - now; // wake to drop any request whose deadline passes
                    changed.awaitNanos(Math.max(1, Math.min(nanos, untilDeadline)));
                    continue;
                }
                running++;
                return take(head, fairShare(compatible));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Removes cancelled and expired requests (their failures go to {@code failures}); returns the earliest deadline left. */
    private long dropExpired(List<Runnable> failures) {
        long now = System.nanoTime();
        long earliest = Long.MAX_VALUE;
        for (Iterator<Pending> it = queue.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.result.isDone()) {
                it.remove(); // cancelled by the caller (client gone): never run it
                continue;
            }
            if (now - p.deadline >= 0) {
                it.remove();
                DeadlineExceededException e =
                        new DeadlineExceededException("deadline exceeded after " + (now - p.enqueued) / 1_000_000
                                + " ms waiting in the queue of " + name + "; the request was not run");
                failures.add(() -> p.result.completeExceptionally(e));
            } else if (p.deadline - earliest < 0) {
                earliest = p.deadline;
            }
        }
        return earliest;
    }

    private int compatibleRows(Pending head) {
        if (!options.merges()) {
            return 1;
        }
        int rows = 0;
        for (Pending p : queue) {
            if (p.key.equals(head.key) && rows + p.rows <= options.maxBatchSize()) {
                rows += p.rows;
            }
        }
        return Math.max(rows, head.rows);
    }

    /**
     * Under the lock: the most rows the next batch takes, given {@code compatible} queued rows that could join it,
     * so that the rows in the system (queued and running) are spread evenly over the instances. Taking every
     * queued row instead lets one instance settle into large batches while another runs small ones and idles
     * through each small batch's queue delay; the same clients keep returning together, so the imbalance
     * persists. Measured on the CNN with two instances and 32 closed-loop clients after a 30 s warm-up: about half of
     * the batches had 1-6 rows and 8 % had 26-32, one execution thread waited on an empty queue 21 % of the time, and
     * in 60 s runs the server used 1.46-1.54 of the two cores (docs/benchmarks.md "Seventh round"). Preferred batch sizes are
     * the user's own choice of sizes and are left alone.
     */
    private int fairShare(int compatible) {
        if (!options.merges() || !options.preferredBatchSizes().isEmpty()) {
            return options.maxBatchSize();
        }
        int inSystem = compatible + runningRows;
        return Math.min(options.maxBatchSize(), (inSystem + options.instances() - 1) / options.instances());
    }

    /** Under the lock: moves the next batch (at most {@code maxRows}, always {@code head}) out of the queue. */
    private List<Pending> take(Pending head, int maxRows) {
        List<Pending> batch = new ArrayList<>();
        int rows = 0;
        for (Iterator<Pending> it = queue.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (batch.isEmpty() || (options.merges() && p.key.equals(head.key) && rows + p.rows <= maxRows)) {
                batch.add(p);
                rows += p.rows;
                it.remove();
            }
            if (!options.merges()) {
                break;
            }
        }
        runningRows += rows; // an execution thread runs them from now until finished()
        return batch;
    }

    private void execute(List<Pending> batch) {
        long start = System.nanoTime();
        if (batch.size() == 1) {
            Pending p = batch.getFirst();
            try {
                List<Tensor> out = inner.run(p.inputs, p.outputs);
                long compute = System.nanoTime() - start;
                learn(compute, p.elements);
                p.complete(out, start, compute, p.rows, true);
            } catch (RuntimeException e) {
                p.result.completeExceptionally(e);
            }
            return;
        }
        int[] rows = batch.stream().mapToInt(p -> p.rows).toArray();
        int total = batch.stream().mapToInt(p -> p.rows).sum();
        List<Tensor> merged;
        try {
            Map<String, Tensor> inputs = new java.util.HashMap<>();
            for (String input : batch.getFirst().inputs.keySet()) {
                inputs.put(
                        input,
                        TensorBatches.concat(
                                batch.stream().map(p -> p.inputs.get(input)).toList()));
            }
            merged = inner.run(inputs, batch.getFirst().outputs);
        } catch (PierException e) {
            // one request's bad data must not fail the others: run them one by one
            batch.forEach(p -> execute(List.of(p)));
            return;
        } catch (RuntimeException e) {
            batch.forEach(p -> p.result.completeExceptionally(e));
            return;
        }
        long compute = System.nanoTime() - start;
        try {
            List<List<Tensor>> perOutput =
                    merged.stream().map(t -> TensorBatches.split(t, rows)).toList();
            for (int i = 0; i < batch.size(); i++) {
                int row = i;
                batch.get(i)
                        .complete(
                                perOutput.stream().map(parts -> parts.get(row)).toList(),
                                start,
                                compute,
                                total,
                                i == 0);
            }
        } catch (RuntimeException e) {
            batch.forEach(p -> p.result.completeExceptionally(e));
        }
    }

    /**
     * Folds one single-request call into the moving average. Weight 1/2: a version's first calls are slow
     * (ONNX Runtime's first run allocates), so the average must come down within the warm-up's calls. A call counts
     * at most {@link #SLOW_CALL_WEIGHT} times the average: the time is wall time, and a tiny call that the
     * scheduler preempted (milliseconds, with the event loops and a load generator queueing for two cores) must
     * not send the next calls off the event loop; a model that really became slow still crosses the limit within
     * a few calls, the average growing 2.5 times per call.
     */
    private void learn(long nanos, long elements) {
        double perElement = (double) nanos / Math.max(1, elements);
        double before = nanosPerElement;
        nanosPerElement = before < 0 ? perElement : (before + Math.min(perElement, SLOW_CALL_WEIGHT * before)) / 2;
    }

    /** The moving average {@link #learn} keeps, in nanoseconds per input element; -1 before the first call. */
    double nanosPerElement() {
        return nanosPerElement;
    }

    /**
     * How many times the average one call may count (see {@link #learn}). With the whole wall time counted, the
     * execution threads took 7 % of a core each in the TF JSON row, handed the calls after each preemption, and
     * p99 was 11.8-11.9 ms against 7.1-7.5 with the inline limit out of reach (docs/benchmarks.md, "Eighth round").
     */
    static final double SLOW_CALL_WEIGHT = 4;

    /** Runs what is queued, stops the execution threads, then closes the inner session. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Thread t : threads) {
            if (t != Thread.currentThread()) {
                try {
                    t.join(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        inner.close();
    }

    /** A queued request with its batching key: requests merge only when their keys are equal. */
    private static final class Pending {
        final Map<String, Tensor> inputs;
        final List<String> outputs;
        final long deadline;
        final long enqueued;
        final int rows;
        final List<Object> key;
        final long elements;
        final CompletableFuture<Batched> result = new CompletableFuture<>();

        Pending(Map<String, Tensor> inputs, List<String> outputs, long deadline, long enqueued, boolean merges) {
            this.inputs = inputs;
            this.outputs = outputs;
            this.deadline = deadline;
            this.enqueued = enqueued;
            long first = -1;
            boolean uniform = true;
            long count = 0;
            // the key only matters when requests merge: unbatched versions skip building it
            List<Object> k = merges ? new ArrayList<>() : null;
            if (merges) {
                k.add(outputs);
            }
            for (Tensor t : merges ? new TreeMap<>(inputs).values() : inputs.values()) {
                long r = t.shape().rank() == 0 ? -2 : t.shape().dim(0);
                uniform &= first == -1 || first == r;
                first = r;
                count += t.elementCount(); // the data exists in memory, so the sum cannot overflow
                if (merges) {
                    k.add(t.name());
                    k.add(t.datatype());
                    k.add(t.shape().rank() == 0 ? t.shape() : t.shape().withFirstDim(0));
                }
            }
            if (merges && (!uniform || first < 1 || first > Integer.MAX_VALUE)) {
                k.add(new Object()); // inputs disagree on the batch size (or have none): never merged
            }
            this.rows = (int) Math.max(1, Math.min(first, Integer.MAX_VALUE));
            this.key = k;
            this.elements = count;
        }

        void complete(List<Tensor> outputs, long start, long compute, int batchRows, boolean leader) {
            result.complete(new Batched(outputs, start - enqueued, compute, batchRows, leader));
        }
    }
}
