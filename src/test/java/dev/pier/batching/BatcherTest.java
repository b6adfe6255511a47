package dev.pier.batching;

import dev.pier.api.DataType;
import dev.pier.api.DeadlineExceededException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.UnavailableException;
import dev.pier.onnx.OnnxModelBuilder;
import dev.pier.runtime.SessionOptions;
import dev.pier.runtime.onnx.OrtEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        OnnxModelBuilder.create("double").input("x", DataType.FP32, "batch", "n")
                .node("Add", List.of("x", "x"), List.of("y")).output("y", DataType.FP32, "batch", "n").save(model);
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
            assertThatThrownBy(third::join).hasCauseInstanceOf(UnavailableException.class)
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
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms until dropped (head waits 5 s)").isLessThan(3000);
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
            assertThat(r.batchRows()).as("the cancelled row was not in the batch").isEqualTo(1);
            assertThat(r.outputs().getFirst().floats()).containsExactly(10, 12, 14);
        }
    }

    @Test
    void expiredDeadlineIsDroppedWithoutRunning() {
        try (Batcher b = batcher(BatchingOptions.unbatched(10, 1))) {
            CompletableFuture<Batched> late = b.submit(Map.of("x", rows(1, 3, 0)), List.of(), System.nanoTime() - 1);
            assertThatThrownBy(late::join).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(DeadlineExceededException.class).hasMessageContaining("not run");
            assertThat(b.submit(Map.of("x", rows(1, 3, 1)), List.of(), Long.MAX_VALUE).join().outputs().getFirst().floats())
                    .containsExactly(2, 4, 6);
        }
    }
}
