package dev.pier.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.DataType;
import dev.pier.api.DeadlineExceededException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.UnavailableException;
import dev.pier.onnx.OnnxModelBuilder;
import dev.pier.runtime.SessionOptions;
import dev.pier.runtime.onnx.OrtEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batcher on a real ONNX Runtime session of {@code y = x + x}, x FP32 [batch, n] with both dims dynamic. */
class BatcherTest {
    @TempDir
    static Path dir;

    static OrtEngine engine;
    static Path model;

    @BeforeAll
    static void build() throws Exception {
        engine = new OrtEngine();
        model = dir.resolve("double.onnx");
        OnnxModelBuilder.create("double")
                .input("x", DataType.FP32, "batch", "n")
                .node("Add", List.of("x", "x"), List.of("y"))
                .output("y", DataType.FP32, "batch", "n")
                .save(model);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private Batcher batcher(BatchingOptions options) {
        return new Batcher(engine.load(model, SessionOptions.defaults()), options, "model 'double' version 1");
    }

    private static Tensor rows(int rows, int n, float base) {
        float[] v = new float[rows * n];
        for (int i = 0; i < v.length; i++) {
            v[i] = base + i;
        }
        return Tensor.ofFloats("x", Shape.of(rows, n), v);
    }

    @Test
    void mergesConcurrentRequestsAndSplitsEachCallersRows() {
        try (Batcher b = batcher(new BatchingOptions(64, List.of(), 200_000, 100, 1))) {
            List<Tensor> sent = new ArrayList<>();
            List<CompletableFuture<Batched>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                Tensor x = rows(1 + i % 3, 3, 100 * i);
                sent.add(x);
                results.add(b.submit(Map.of("x", x), List.of(), Long.MAX_VALUE));
            }
            int executions = 0;
            for (int i = 0; i < sent.size(); i++) {
                Batched r = results.get(i).join();
                float[] in = sent.get(i).floats();
                float[] expected = new float[in.length];
                for (int k = 0; k < in.length; k++) {
                    expected[k] = in[k] * 2;
                }
                assertThat(r.outputs().getFirst().shape()).isEqualTo(sent.get(i).shape());
                assertThat(r.outputs().getFirst().floats()).containsExactly(expected);
                executions += r.leader() ? 1 : 0;
            }
            assertThat(executions).isLessThan(sent.size()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void rowsQueuedForTwoFreeInstancesAreSplitBetweenThem() {
        try (Batcher b = batcher(new BatchingOptions(64, List.of(), 100_000, 100, 2))) {
            List<CompletableFuture<Batched>> sent = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                sent.add(b.submit(Map.of("x", rows(1, 3, 10 * i)), List.of(), Long.MAX_VALUE));
            }
            // 8 rows over 2 free instances: the first batch takes half; the rest may split further when the first
            // instance is free again before the second one wakes, but no batch takes more than half
            assertThat(sent.getFirst().join().batchRows()).isEqualTo(4);
            for (int i = 0; i < 8; i++) {
                Batched got = sent.get(i).join();
                assertThat(got.batchRows())
                        .as("rows in the batch of request %d", i)
                        .isBetween(1, 4);
                assertThat(got.outputs().getFirst().floats()).containsExactly(20 * i, 20 * i + 2, 20 * i + 4);
            }
        }
    }

    @Test
    void aFreeInstanceTakesItsShareOfTheRowsInTheSystemNotTheWholeQueue() throws Exception {
        GatedSession gated = new GatedSession();
        try (Batcher b =
                new Batcher(gated, new BatchingOptions(64, List.of(), 50_000, 100, 2), "model 'gated' version 1")) {
            CompletableFuture<Batched> blocked;
            List<CompletableFuture<Batched>> sent = new ArrayList<>();
            try {
                blocked = b.submit(Map.of("x", rows(1, 3, 42)), List.of(), Long.MAX_VALUE);
                gated.entered.await(); // one instance runs a 1-row batch and stays busy
                for (int i = 0; i < 6; i++) {
                    sent.add(b.submit(Map.of("x", rows(1, 3, i)), List.of(), Long.MAX_VALUE));
                }
                // 7 rows in the system over 2 instances: the free one takes 4 and leaves 2 for the next free one
                for (int i = 0; i < 6; i++) {
                    assertThat(sent.get(i).join().batchRows())
                            .as("rows in the batch of request %d", i)
                            .isEqualTo(i < 4 ? 4 : 2);
                }
            } finally {
                gated.release.countDown();
            }
            assertThat(blocked.join().outputs().getFirst().floats()).containsExactly(84, 86, 88);
            assertThat(sent.get(5).join().outputs().getFirst().floats()).containsExactly(10, 12, 14);
        }
    }

    @Test
    void neverMergesDifferentNonBatchDims() {
        try (Batcher b = batcher(new BatchingOptions(64, List.of(), 200_000, 100, 1))) {
            List<CompletableFuture<Batched>> threes = new ArrayList<>();
            List<CompletableFuture<Batched>> fours = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                threes.add(b.submit(Map.of("x", rows(1, 3, i)), List.of(), Long.MAX_VALUE));
                fours.add(b.submit(Map.of("x", rows(2, 4, i)), List.of(), Long.MAX_VALUE));
            }
            for (CompletableFuture<Batched> f : threes) {
                assertThat(f.join().batchRows()).isLessThanOrEqualTo(4);
                assertThat(f.join().outputs().getFirst().shape()).isEqualTo(Shape.of(1, 3));
            }
            for (CompletableFuture<Batched> f : fours) {
                assertThat(f.join().batchRows()).isLessThanOrEqualTo(8).isEven();
                assertThat(f.join().outputs().getFirst().shape()).isEqualTo(Shape.of(2, 4));
            }
        }
    }

    @Test
    void fullQueueIsRefusedAtOnce() {
        try (Batcher b = batcher(new BatchingOptions(64, List.of(), 5_000_000, 2, 1))) {
            CompletableFuture<Batched> first = b.submit(Map.of("x", rows(1, 3, 0)), List.of(), Long.MAX_VALUE);
            b.submit(Map.of("x", rows(1, 3, 0)), List.of(), Long.MAX_VALUE);
            CompletableFuture<Batched> third = b.submit(Map.of("x", rows(1, 3, 0)), List.of(), Long.MAX_VALUE);
            assertThat(third).isCompletedExceptionally();
            assertThatThrownBy(third::join)
                    .hasCauseInstanceOf(UnavailableException.class)
                    .hasMessageContaining("max_queue_size");
            assertThat(first).isNotDone();
        }
    }

    @Test
    void aDeadlineBehindAWaitingHeadStillExpiresOnTime() {
        try (Batcher b = batcher(new BatchingOptions(8, List.of(), 5_000_000, 10, 1))) {
            CompletableFuture<Batched> head = b.submit(Map.of("x", rows(1, 3, 0)), List.of(), Long.MAX_VALUE);
            long start = System.nanoTime();
            CompletableFuture<Batched> urgent = b.submit(Map.of("x", rows(1, 4, 0)), List.of(), start + 100_000_000L);
            assertThatThrownBy(urgent::join).hasCauseInstanceOf(DeadlineExceededException.class);
            assertThat((System.nanoTime() - start) / 1_000_000)
                    .as("ms until dropped (head waits 5 s)")
                    .isLessThan(3000);
            assertThat(head).isNotDone();
        }
    }

    @Test
    void cancelledRequestIsNeverRun() {
        try (Batcher b = batcher(new BatchingOptions(8, List.of(), 300_000, 10, 1))) {
            CompletableFuture<Batched> gone = b.submit(Map.of("x", rows(1, 3, 0)), List.of(), Long.MAX_VALUE);
            CompletableFuture<Batched> kept = b.submit(Map.of("x", rows(1, 3, 5)), List.of(), Long.MAX_VALUE);
            gone.cancel(false);
            Batched r = kept.join();
            assertThat(r.batchRows())
                    .as("the cancelled row was not in the batch")
                    .isEqualTo(1);
            assertThat(r.outputs().getFirst().floats()).containsExactly(10, 12, 14);
        }
    }

    @Test
    void expiredDeadlineIsDroppedWithoutRunning() {
        try (Batcher b = batcher(BatchingOptions.unbatched(10, 1))) {
            CompletableFuture<Batched> late = b.submit(Map.of("x", rows(1, 3, 0)), List.of(), System.nanoTime() - 1);
            assertThatThrownBy(late::join)
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(DeadlineExceededException.class)
                    .hasMessageContaining("not run");
            assertThat(b.submit(Map.of("x", rows(1, 3, 1)), List.of(), Long.MAX_VALUE)
                            .join()
                            .outputs()
                            .getFirst()
                            .floats())
                    .containsExactly(2, 4, 6);
        }
    }

    @Test
    void aTinyUnbatchedCallRunsOnTheCallersThreadOnceItsCostIsKnown() {
        GatedSession gated = new GatedSession();
        try (Batcher b = new Batcher(gated, BatchingOptions.unbatched(10, 1), "model 'gated' version 1")) {
            // the first call has no measured cost: it goes to the execution thread
            assertThat(b.submit(Map.of("x", rows(1, 3, 0)), List.of(), Long.MAX_VALUE)
                            .join()
                            .outputs()
                            .getFirst()
                            .floats())
                    .containsExactly(0, 2, 4);
            assertThat(gated.threads.getFirst().getName()).startsWith("pier-infer-");
            CompletableFuture<Batched> tiny = warm(b, gated);
            assertThat(gated.threads.getLast()).as("run inline").isSameAs(Thread.currentThread());
            assertThat(tiny.join().outputs().getFirst().floats()).containsExactly(14, 16, 18);
            assertThat(tiny.join().batchRows()).isEqualTo(1);
        }
    }

    /**
     * A test double at the runtime boundary: the real session, recording the thread of each call and how many ran
     * at once; an input whose first value is 42 blocks until {@link #release} is counted down.
     */
    static final class GatedSession implements dev.pier.runtime.ModelSession {
        final dev.pier.runtime.ModelSession real = engine.load(model, SessionOptions.defaults());
        final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicInteger concurrent = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        final List<Thread> threads = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public dev.pier.api.ModelSignature signature() {
            return real.signature();
        }

        @Override
        public List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
            threads.add(Thread.currentThread());
            most.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try {
                if (inputs.get("x").floats()[0] == 42) {
                    entered.countDown();
                    release.await();
                }
                if (inputs.get("x").floats()[0] == SLOW) {
                    Thread.sleep(SLOW_MILLIS); // a call the scheduler preempted, or a model that became slow
                }
                return real.run(inputs, outputNames);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                concurrent.decrementAndGet();
            }
        }

        @Override
        public long sizeBytes() {
            return real.sizeBytes();
        }

        @Override
        public void close() {
            real.close();
        }
    }

    /**
     * Runs small requests until one runs on this thread (inline: the first calls' cost has left the average);
     * a bounded number of calls. Returns that one.
     */
    private static CompletableFuture<Batched> warm(Batcher b, GatedSession gated) {
        for (int i = 0; i < 500; i++) {
            CompletableFuture<Batched> f = b.submit(Map.of("x", rows(1, 3, 7)), List.of(), Long.MAX_VALUE);
            f.join();
            if (gated.threads.getLast() == Thread.currentThread()) {
                return f;
            }
        }
        throw new AssertionError("a 3-element call never came under " + Batcher.INLINE_MAX_NANOS + " ns");
    }

    @Test
    void inlineCallsCountAgainstTheInstances() throws Exception {
        GatedSession gated = new GatedSession();
        try (Batcher b = new Batcher(gated, BatchingOptions.unbatched(10, 1), "model 'gated' version 1")) {
            // another thread learns the cost (tiny) and then submits the call that blocks: it runs there, inline
            CompletableFuture<CompletableFuture<Batched>> blocked = CompletableFuture.supplyAsync(() -> {
                warm(b, gated);
                return b.submit(Map.of("x", rows(1, 3, 42)), List.of(), Long.MAX_VALUE);
            });
            CompletableFuture<Batched> waiting;
            try {
                gated.entered.await();
                // the one instance is taken by the blocked call: this one must wait, not run beside it
                waiting = b.submit(Map.of("x", rows(1, 3, 1)), List.of(), Long.MAX_VALUE);
                Thread.sleep(50);
                assertThat(waiting).isNotDone();
            } finally {
                gated.release.countDown();
            }
            assertThat(blocked.join().join().outputs().getFirst().floats()).containsExactly(84, 86, 88);
            assertThat(waiting.join().outputs().getFirst().floats()).containsExactly(2, 4, 6);
            assertThat(gated.most.get())
                    .as("runtime calls at once with instances = 1")
                    .isEqualTo(1);
        }
    }

    /** An input whose first value is this sleeps {@link #SLOW_MILLIS} in the call. */
    static final float SLOW = 43;

    static final long SLOW_MILLIS = 5;

    @Test
    void oneSlowCallRaisesThePredictionAtMostTwoAndAHalfTimes() {
        GatedSession gated = new GatedSession();
        try (Batcher b = new Batcher(gated, BatchingOptions.unbatched(10, 1), "model 'gated' version 1")) {
            warm(b, gated);
            double before = b.nanosPerElement();
            // 5 ms for 3 elements: counted whole, the prediction would become ~0.8 ms per element, hundreds of
            // times a tiny call's, and the next tiny calls would leave the event loop
            Batched slow = b.submit(Map.of("x", rows(1, 3, SLOW)), List.of(), Long.MAX_VALUE)
                    .join();
            assertThat(slow.outputs().getFirst().floats()).containsExactly(86, 88, 90);
            assertThat(b.nanosPerElement())
                    .as("the prediction after one slow call, from %.0f ns per element", before)
                    .isGreaterThan(before)
                    .isLessThanOrEqualTo((1 + Batcher.SLOW_CALL_WEIGHT) / 2 * before * 1.000001);
        }
    }

    @Test
    void aModelThatStaysSlowLeavesTheCallersThreadWithinAFewCalls() {
        GatedSession gated = new GatedSession();
        try (Batcher b = new Batcher(gated, BatchingOptions.unbatched(10, 1), "model 'gated' version 1")) {
            warm(b, gated);
            int inline = 0;
            while (inline < 20) {
                b.submit(Map.of("x", rows(1, 3, SLOW)), List.of(), Long.MAX_VALUE)
                        .join();
                if (gated.threads.getLast() != Thread.currentThread()) {
                    break;
                }
                inline++;
            }
            assertThat(gated.threads.getLast().getName())
                    .as("a slow call handed off")
                    .startsWith("pier-infer-");
            // from a few µs per element, growing 2.5 times per call, past 100 µs for 3 elements in well under 20
            assertThat(inline).as("slow calls that still ran inline").isLessThan(12);
        }
    }

    @Test
    void aCallPredictedAboveTheInlineLimitGoesToTheExecutionThread() {
        GatedSession gated = new GatedSession();
        try (Batcher b = new Batcher(gated, BatchingOptions.unbatched(10, 1), "model 'gated' version 1")) {
            warm(b, gated);
            assertThat(gated.threads.getLast()).as("tiny: run inline").isSameAs(Thread.currentThread());
            // 3 elements took microseconds; 2^22 elements are predicted far above the limit
            Batched big = b.submit(Map.of("x", rows(1 << 11, 1 << 11, 0)), List.of(), Long.MAX_VALUE)
                    .join();
            assertThat(big.outputs().getFirst().shape()).isEqualTo(Shape.of(1 << 11, 1 << 11));
            assertThat(gated.threads.getLast().getName()).startsWith("pier-infer-");
        }
    }
}
