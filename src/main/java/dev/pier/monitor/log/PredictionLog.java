package dev.pier.monitor.log;

import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.monitor.InferenceTap;
import dev.pier.monitor.feedback.LabelledPrediction;
import dev.pier.protocol.codec.RawTensors;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prediction log: samples answered requests ({@link #sampled}), and writes them and all feedback as JSON
 * lines ({@link PredictionRecords}) into rotated, size-bounded files ({@link RotatingFiles}).
 *
 * <p>Never blocks the request path: {@link #onInference} only offers the request and response (references,
 * no copying or encoding) to a queue bounded in records and in tensor bytes (64 MiB) and counts a drop when
 * it is full; one daemon thread encodes and writes. Exports {@code pier_prediction_log_records} (records written) and {@code pier_prediction_log_dropped}
 * (records lost to a full queue, an oversized record or a write error), both cumulative, as gauges so that
 * Prometheus keeps the names. Thread-safe; owns its thread and files, which {@link #close()} flushes and closes.
 */
public final class PredictionLog implements InferenceTap, Consumer<LabelledPrediction>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PredictionLog.class);

    /** What waits for the writer (encoding happens on the writer thread), with the tensor bytes it holds. */
    private record Entry(java.util.function.Supplier<byte[]> encoder, long bytes) {}

    /**
     * Tensor bytes the queue may hold at once, whatever the record count: 4096 queued camera frames would
     * otherwise pin gigabytes.
     */
    static final long MAX_QUEUED_BYTES = 64L << 20;

    private final PredictionLogOptions options;
    private final BlockingQueue<Entry> queue;
    private final RotatingFiles files;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Thread writer;
    private volatile boolean closing;
    private volatile CountDownLatch gate = new CountDownLatch(0);

    public PredictionLog(PredictionLogOptions options, MeterRegistry registry) {
        this.options = options;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        try {
            this.files = new RotatingFiles(options.directory(), options.maxFileBytes(), options.maxFiles());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot use " + options.directory() + " for the prediction log: " + e.getMessage(), e);
        }
        Gauge.builder("pier_prediction_log_records", written, AtomicLong::get)
                .description("records written to the prediction log, cumulative")
                .register(registry);
        Gauge.builder("pier_prediction_log_dropped", dropped, AtomicLong::get)
                .description("records not logged: queue full, larger than a file, or a write error; cumulative")
                .register(registry);
        this.writer = Thread.ofPlatform().daemon().name("pier-prediction-log").start(this::run);
    }

    /**
     * Whether a request id is in the sample: the FNV-1a 64-bit hash of its UTF-8 bytes, top 53 bits as a
     * fraction of 2^53, is below {@code rate}. The same on every replica and every run.
     */
    public static boolean sampled(String id, double rate) {
        if (rate >= 1) {
            return true;
        }
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        // FNV's low bits mix poorly for short keys: fold the high half in before taking the top 53 bits
        h ^= h >>> 29;
        return (h >>> 11) * 0x1.0p-53 < rate;
    }

    @Override
    public void onInference(InferRequest request, InferResponse response) {
        if (closing || request.id() == null || !sampled(request.id(), options.sampleRate())) {
            return;
        }
        Instant time = Instant.now();
        long bytes = 0;
        for (dev.pier.api.Tensor t : request.inputs()) {
            bytes += RawTensors.size(t);
        }
        for (dev.pier.api.Tensor t : response.outputs()) {
            bytes += RawTensors.size(t);
        }
        offer(new Entry(() -> PredictionRecords.prediction(request, response, time), bytes));
    }

    /** Appends feedback (always, whatever the sample rate: it is small and evaluation needs it). */
    @Override
    public void accept(LabelledPrediction feedback) {
        if (closing) {
            return;
        }
        Instant time = Instant.now();
        offer(new Entry(() -> PredictionRecords.feedback(feedback, time), 0));
    }

    private void offer(Entry e) {
        if (queuedBytes.addAndGet(e.bytes()) > MAX_QUEUED_BYTES && e.bytes() > 0 || !queue.offer(e)) {
            queuedBytes.addAndGet(-e.bytes());
            dropped.incrementAndGet();
        }
    }

    /** Records written so far. */
    public long written() {
        return written.get();
    }

    /** Records dropped so far. */
    public long dropped() {
        return dropped.get();
    }

    public PredictionLogOptions options() {
        return options;
    }

    /** Test hook: the writer stops before its next record until {@link #resumeWriter()} (a slow disk, at will). */
    void pauseWriter() {
        gate = new CountDownLatch(1);
    }

    void resumeWriter() {
        gate.countDown();
    }

    private void run() {
        while (true) {
            Entry e;
            try {
                e = queue.poll(100, TimeUnit.MILLISECONDS);
                if (e == null) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                gate.await();
            } catch (InterruptedException interrupted) {
                return;
            }
            write(e);
        }
    }

    private void write(Entry e) {
        try {
            queuedBytes.addAndGet(-e.bytes());
            if (files.append(e.encoder().get())) {
                written.incrementAndGet();
            } else {
                dropped.incrementAndGet();
                LOG.warn(
                        "a prediction log record is larger than --prediction-log-max-file-bytes ({}); dropped",
                        options.maxFileBytes());
            }
            if (queue.isEmpty()) {
                files.flush(); // idle: make what was logged visible to readers
            }
        } catch (IOException | RuntimeException failure) {
            dropped.incrementAndGet();
            LOG.warn("prediction log write to {} failed: {}", options.directory(), failure.toString());
        }
    }

    /** Writes what is queued (for at most 10 s), then closes the files. Idempotent. */
    @Override
    public void close() {
        closing = true;
        gate.countDown();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            int left = queue.size();
            writer.interrupt();
            try {
                writer.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            dropped.addAndGet(left);
            LOG.warn("prediction log: {} record(s) still queued after 10 s at close; dropped", left);
        }
        try {
            files.close();
        } catch (IOException e) {
            LOG.warn("closing the prediction log in {} failed: {}", options.directory(), e.toString());
        }
    }
}
