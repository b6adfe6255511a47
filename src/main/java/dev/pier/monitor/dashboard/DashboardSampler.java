package dev.pier.monitor.dashboard;

import dev.pier.api.InferenceService;
import dev.pier.api.ModelVersionStatus;
import dev.pier.api.PierException;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the server once per interval: model states from the {@link InferenceService}, series from the
 * registry; each sample becomes a {@link DashboardSnapshot} of the interval since the previous one, kept in a
 * bounded history (so a page opened now draws the last minutes too) and handed to subscribers (the event
 * stream). Thread-safe. Owns one daemon thread, stopped by {@link #close()}; owns neither service nor registry.
 */
public final class DashboardSampler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardSampler.class);

    private final InferenceService service;
    private final RegistryReader reader;
    private final DashboardOptions options;
    private final ArrayDeque<DashboardSnapshot> history = new ArrayDeque<>();
    private final List<Consumer<DashboardSnapshot>> subscribers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;
    private Map<String, RawSample> previous = new HashMap<>(); // guarded by this
    private long previousNanos; // guarded by this

    DashboardSampler(InferenceService service, MeterRegistry registry, DashboardOptions options, boolean scheduled) {
        this.service = service;
        this.reader = new RegistryReader(registry);
        this.options = options;
        baseline();
        if (scheduled) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "pier-dashboard-sampler");
                t.setDaemon(true);
                return t;
            });
            long millis = options.interval().toMillis();
            timer.scheduleAtFixedRate(this::sampleQuietly, millis, millis, TimeUnit.MILLISECONDS);
        } else {
            timer = null;
        }
    }

    /** Starts sampling every {@code options.interval()}; the first snapshot comes one interval from now. */
    public static DashboardSampler start(InferenceService service, MeterRegistry registry, DashboardOptions options) {
        return new DashboardSampler(service, registry, options, true);
    }

    public DashboardOptions options() {
        return options;
    }

    /** The newest snapshot; empty before the first interval has passed. */
    public synchronized Optional<DashboardSnapshot> latest() {
        return Optional.ofNullable(history.peekLast());
    }

    /** The kept snapshots, oldest first. */
    public synchronized List<DashboardSnapshot> history() {
        return List.copyOf(history);
    }

    /**
     * Calls {@code subscriber} with every new snapshot, on the sampler's thread (so it must not block: hand
     * the work on). Closing the returned handle unsubscribes.
     */
    public AutoCloseable subscribe(Consumer<DashboardSnapshot> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /** Takes one sample now (the timer calls this); public to tests in this package only. */
    DashboardSnapshot sample() {
        DashboardSnapshot snapshot;
        synchronized (this) {
            long now = System.nanoTime();
            Map<String, RawSample> current = new HashMap<>();
            List<VersionSnapshot> rows = new ArrayList<>();
            for (ModelVersionStatus status : statuses()) {
                String key = status.model() + "\u0000" + status.version();
                RawSample raw = reader.raw(status.model(), status.version(), now);
                current.put(key, raw);
                // a version first seen now had no series at the previous sample: its counts then were zero
                RawSample before = previous.getOrDefault(key, RawSample.empty(previousNanos));
                rows.add(SnapshotMath.between(
                        status.model(),
                        status.version(),
                        status.state().name(),
                        status.error(),
                        before,
                        raw,
                        reader.quality(status.model(), status.version())));
            }
            snapshot = new DashboardSnapshot(System.currentTimeMillis(), (now - previousNanos) / 1e9, rows);
            previous = current;
            previousNanos = now;
            history.addLast(snapshot);
            while (history.size() > options.frames()) {
                history.removeFirst();
            }
        }
        for (Consumer<DashboardSnapshot> s : subscribers) {
            try {
                s.accept(snapshot);
            } catch (RuntimeException e) {
                LOG.warn("dashboard subscriber failed: {}", e.toString());
            }
        }
        return snapshot;
    }

    private synchronized void baseline() {
        previousNanos = System.nanoTime();
        for (ModelVersionStatus status : statuses()) {
            previous.put(
                    status.model() + "\u0000" + status.version(),
                    reader.raw(status.model(), status.version(), previousNanos));
        }
    }

    private List<ModelVersionStatus> statuses() {
        List<ModelVersionStatus> out = new ArrayList<>();
        for (String model : service.modelNames()) {
            try {
                out.addAll(service.status(model, OptionalLong.empty()));
            } catch (PierException gone) {
                // removed between listing and asking: it simply has no row this time
            }
        }
        return out;
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            // one bad sample must not stop the timer (a scheduled task that throws is never run again)
            LOG.warn("dashboard sample failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        subscribers.clear();
    }
}
