package dev.pier.monitor.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.InferRequest;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.examples.ExampleModels;
import dev.pier.monitor.MonitoringService;
import dev.pier.runtime.onnx.OrtEngine;
import dev.pier.serving.ServingCore;
import dev.pier.serving.ServingOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prediction log under concurrent load through the real serving core: a stalled writer never holds a
 * request up (they all finish while it is stalled, and what did not fit the queue is counted as dropped), and
 * the files never take more than {@code maxFiles × maxFileBytes}, watched continuously while records pour in.
 */
class PredictionLogLoadTest {
    private static final int THREADS = 8;
    private static final int PER_THREAD = 50;
    private static final long MAX_FILE_BYTES = 32 * 1024;
    private static final int MAX_FILES = 3;
    private static final int QUEUE = 20;

    @TempDir
    Path root;

    @Test
    void aStalledWriterBlocksNoRequestAndTheLogStaysWithinItsSizeBound() throws Exception {
        ExampleModels.writeMnistRepository(root.resolve("repo"), 3);
        LabeledData images = Mnist.load(Mnist.Split.TEST, 64, MnistFetcher.defaultDir(), Shape.of(784));
        Path dir = root.resolve("log");
        PredictionLogOptions options = new PredictionLogOptions(dir, 1.0, MAX_FILE_BYTES, MAX_FILES, QUEUE);
        try (OrtEngine engine = new OrtEngine();
                ServingCore core = ServingCore.start(
                        ServingOptions.of(root.resolve("repo"), null).withWorkers(4, 1024), engine);
                PredictionLog log = new PredictionLog(options, new SimpleMeterRegistry())) {
            MonitoringService served = new MonitoringService(core, List.of(log));

            log.pauseWriter();
            load(served, images); // returns only when every request has its answer
            int total = THREADS * PER_THREAD;
            assertThat(log.written())
                    .as("nothing is written while the writer is stalled")
                    .isZero();
            // at most the queue plus the one record the writer holds at its gate can be waiting
            assertThat(log.dropped()).isGreaterThanOrEqualTo(total - QUEUE - 1);

            log.resumeWriter();
            awaitCount(log, total);
            assertThat(log.written() + log.dropped()).isEqualTo(total);

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong largest = new AtomicLong();
            AtomicLong mostFiles = new AtomicLong();
            Thread watcher = Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    long[] now = sizes(dir);
                    largest.accumulateAndGet(now[0], Math::max);
                    mostFiles.accumulateAndGet(now[1], Math::max);
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                }
            });
            load(served, images);
            awaitCount(log, 2L * total);
            running.set(false);
            watcher.join();

            assertThat(log.written())
                    .as("a free writer keeps up with part of the load")
                    .isGreaterThan(QUEUE);
            assertThat(largest.get()).isPositive().isLessThanOrEqualTo(MAX_FILES * MAX_FILE_BYTES);
            assertThat(mostFiles.get()).isLessThanOrEqualTo(MAX_FILES);
        }
        long[] end = sizes(dir);
        assertThat(end[0]).isLessThanOrEqualTo(MAX_FILES * MAX_FILE_BYTES);
        assertThat(end[1]).isEqualTo(MAX_FILES); // 32 KiB files of ~5 KiB records: it did rotate
        ObjectMapper json = new ObjectMapper();
        for (Path f : RotatingFiles.existing(dir)) {
            for (String line : Files.readAllLines(f)) {
                JsonNode record = json.readTree(line); // whole records only, never a torn one
                assertThat(record.get("type").asText()).isEqualTo("prediction");
                assertThat(record.get("inputs").get(0).get("data")).hasSize(784);
                assertThat(record.get("predicted_class")).hasSize(1);
            }
        }
    }

    private static void load(MonitoringService served, LabeledData images) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(clients.submit(() -> {
                    for (int i = 0; i < PER_THREAD; i++) {
                        int row = (thread * PER_THREAD + i) % images.count();
                        float[] pixels = Arrays.copyOfRange(images.features(), row * 784, (row + 1) * 784);
                        InferRequest request = new InferRequest(
                                UUID.randomUUID().toString(),
                                "mnist",
                                OptionalLong.empty(),
                                List.of(Tensor.ofFloats("input", Shape.of(1, 784), pixels)),
                                List.of(),
                                Map.of());
                        served.infer(request).toCompletableFuture().get(30, TimeUnit.SECONDS);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private static void awaitCount(PredictionLog log, long expected) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (log.written() + log.dropped() < expected && System.nanoTime() < until) {
            Thread.sleep(5);
        }
    }

    /** Total bytes and number of log files in the directory right now. */
    private static long[] sizes(Path dir) {
        long bytes = 0;
        long files = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                try {
                    bytes += Files.size(p);
                    files++;
                } catch (java.io.IOException deletedMeanwhile) {
                    // rotated away between list and size
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new long[] {bytes, files};
    }

    @Test
    void samplingIsDecidedByTheRequestIdAlone() {
        int n = 20_000;
        int in = 0;
        for (int i = 0; i < n; i++) {
            String id = UUID.randomUUID().toString();
            boolean sampled = PredictionLog.sampled(id, 0.1);
            assertThat(PredictionLog.sampled(id, 0.1)).isEqualTo(sampled);
            if (sampled) {
                in++;
                assertThat(PredictionLog.sampled(id, 0.5))
                        .as("a larger rate keeps what a smaller one logs")
                        .isTrue();
            }
        }
        assertThat(in / (double) n).isBetween(0.09, 0.11);
        assertThat(PredictionLog.sampled("anything", 0.0)).isFalse();
        assertThat(PredictionLog.sampled("anything", 1.0)).isTrue();
    }
}
