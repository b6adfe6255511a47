package dev.pier.monitor.feedback;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Live quality per model version, exported on {@code /metrics} with labels {@code model} and {@code version}:
 * {@code pier_live_accuracy}, {@code pier_live_precision}, {@code pier_live_recall}, {@code pier_live_f1}
 * (macro averages, see {@link LiveAccuracy}) and {@code pier_feedback_rows} (labels received, cumulative;
 * a gauge so that Prometheus keeps the name without {@code _total}). Series appear with a version's first
 * feedback; they only come from versions that served a request, so clients cannot create series at will.
 * Thread-safe.
 */
public final class LiveMetrics {
    private final MeterRegistry registry;
    private final Map<String, LiveAccuracy> byVersion = new ConcurrentHashMap<>();

    public LiveMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts one labelled row and returns the version's figures after it. */
    public LiveAccuracy.Snapshot record(String model, long version, int truth, int predicted) {
        LiveAccuracy live = of(model, version);
        live.record(truth, predicted);
        return live.snapshot();
    }

    public LiveAccuracy.Snapshot snapshot(String model, long version) {
        return of(model, version).snapshot();
    }

    private LiveAccuracy of(String model, long version) {
        return byVersion.computeIfAbsent(model + "\u0000" + version, k -> register(model, version));
    }

    private LiveAccuracy register(String model, long version) {
        LiveAccuracy live = new LiveAccuracy();
        Tags tags = Tags.of("model", model, "version", Long.toString(version));
        gauge("pier_live_accuracy", "share of labelled predictions that were right", live, s -> s.accuracy(), tags);
        gauge(
                "pier_live_precision",
                "macro-averaged precision over the classes seen in feedback",
                live,
                s -> s.precision(),
                tags);
        gauge(
                "pier_live_recall",
                "macro-averaged recall over the classes seen in feedback",
                live,
                s -> s.recall(),
                tags);
        gauge("pier_live_f1", "macro-averaged F1 over the classes seen in feedback", live, s -> s.f1(), tags);
        gauge("pier_feedback_rows", "labelled predictions received (rows), cumulative", live, s -> s.count(), tags);
        return live;
    }

    private void gauge(
            String name, String help, LiveAccuracy live, ToDoubleFunction<LiveAccuracy.Snapshot> figure, Tags tags) {
        Gauge.builder(name, live, l -> figure.applyAsDouble(l.snapshot()))
                .description(help)
                .tags(tags)
                .register(registry);
    }
}
