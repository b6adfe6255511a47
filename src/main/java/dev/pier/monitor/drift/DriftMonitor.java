package dev.pier.monitor.drift;

import dev.pier.api.DataType;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.monitor.InferenceTap;
import dev.pier.profile.Profiles;
import dev.pier.profile.ReferenceProfile;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drift detection in the server, as an {@link InferenceTap}: each answered request goes to a bounded queue
 * (full: dropped and counted in {@code pier_drift_dropped_total}); one daemon worker finds the served
 * version's reference profile (once per version, through the {@link ProfileLocator}; versions without one
 * are not watched, logged once at INFO), turns the request's input rows into features and the response's
 * scores into predicted classes, and feeds that version's {@link DriftDetector}. Scores go to
 * {@link DriftGauges}; a change of the detected flag is logged once (WARN when drift starts, INFO when it
 * ends). Thread-safe; owns its worker thread, which {@link #close()} stops.
 */
public final class DriftMonitor implements InferenceTap, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DriftMonitor.class);

    /** How long the worker sleeps when the queue is empty; the queue (1024 by default) holds that long's traffic. */
    static final long DRAIN_MILLIS = 20;

    private record Seen(InferRequest request, InferResponse response) {}

    private final ProfileLocator locator;
    private final DriftOptions options;
    private final MeterRegistry registry;
    private final BlockingQueue<Seen> queue;
    private final Counter dropped;
    private final Map<String, Optional<WatchedVersion>> versions = new HashMap<>(); // worker thread only
    private final Map<String, DriftReport> latest = new ConcurrentHashMap<>();
    private final Thread worker;
    private volatile boolean closed;

    public DriftMonitor(ProfileLocator locator, DriftOptions options, MeterRegistry registry) {
        this.locator = locator;
        this.options = options;
        this.registry = registry;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.dropped = Counter.builder("pier_drift_dropped")
                .description("Inferences not fed to drift detection because its queue was full")
                .register(registry);
        this.worker = new Thread(this::work, "pier-drift");
        worker.setDaemon(true);
        if (options.enabled()) {
            worker.start();
        }
    }

    @Override
    public void onInference(InferRequest request, InferResponse response) {
        if (options.enabled() && !closed && !queue.offer(new Seen(request, response))) {
            dropped.increment();
        }
    }

    /** The latest evaluation of a version's live window, if one was made. */
    public Optional<DriftReport> latest(String model, long version) {
        return Optional.ofNullable(latest.get(key(model, version)));
    }

    private static String key(String model, long version) {
        return model + '\u0000' + version;
    }

    /**
     * Takes what queued up every {@link #DRAIN_MILLIS} instead of waiting on the queue: a worker blocked in
     * {@code poll} had to be woken (a futex call) by every answer, which cost a measurable share of a small
     * request's CPU (docs/benchmarks.md, "Hot path profile"); a sleeping one is woken by nobody.
     */
    private void work() {
        List<Seen> batch = new ArrayList<>();
        while (!closed) {
            if (queue.drainTo(batch) == 0) {
                try {
                    Thread.sleep(DRAIN_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                continue;
            }
            for (Seen seen : batch) {
                try {
                    process(seen);
                } catch (RuntimeException e) {
                    LOG.warn(
                            "drift detection failed on a request to model {}: {}",
                            seen.response().model(),
                            e.toString());
                }
            }
            batch.clear();
        }
    }

    private void process(Seen seen) {
        String model = seen.response().model();
        long version = seen.response().version();
        Optional<WatchedVersion> watched = versions.computeIfAbsent(key(model, version), k -> watch(model, version));
        watched.ifPresent(w -> w.observe(seen.request(), seen.response()).ifPresent(report -> {
            DriftReport before = latest.put(key(model, version), report);
            boolean was = before != null && before.detected();
            if (report.detected() && !was) {
                LOG.warn(
                        "drift detected on model {} version {}: {} (window of {} rows, {} rows seen)",
                        model,
                        version,
                        report.reason(),
                        options.window(),
                        report.rows());
            } else if (!report.detected() && was) {
                LOG.info("drift cleared on model {} version {} ({} rows seen)", model, version, report.rows());
            }
        }));
    }

    private Optional<WatchedVersion> watch(String model, long version) {
        Optional<Path> file;
        try {
            file = locator.find(model, version);
        } catch (IllegalArgumentException e) {
            LOG.warn(
                    "reference profile of model {} version {} refused, drift is not watched: {}",
                    model,
                    version,
                    e.getMessage());
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.warn(
                    "cannot look for the reference profile of model {} version {}: {}", model, version, e.getMessage());
            return Optional.empty();
        }
        if (file.isEmpty()) {
            LOG.info(
                    "model {} version {} has no reference profile ({}); drift is not watched",
                    model,
                    version,
                    "<model file stem>" + Profiles.SUFFIX + " or " + Profiles.FILE_NAME
                            + " beside the model file; pier evaluate or pier train writes one");
            return Optional.empty();
        }
        try {
            ReferenceProfile profile = Profiles.read(file.get());
            LOG.info(
                    "watching drift of model {} version {} against {} ({} reference rows of {})",
                    model,
                    version,
                    file.get(),
                    profile.rows(),
                    profile.dataset());
            return Optional.of(new WatchedVersion(model, version, profile, options, registry));
        } catch (RuntimeException e) {
            LOG.warn(
                    "reference profile of model {} version {} is unusable, drift is not watched: {}",
                    model,
                    version,
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** Stops the worker; what is still queued is dropped. Idempotent. */
    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        queue.clear();
    }

    /** True for the input datatypes drift detection reads. */
    static boolean readable(DataType t) {
        return t == DataType.FP32 || t == DataType.FP64;
    }
}
