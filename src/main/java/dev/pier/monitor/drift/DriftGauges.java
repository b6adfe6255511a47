package dev.pier.monitor.drift;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Prometheus series of one watched model version:
 * {@code pier_drift_score{model,version,feature}} (PSI per feature, and {@code feature="predicted_class"}
 * for the predicted-class distribution), {@code pier_drift_ks{model,version,feature}} (KS statistic D),
 * {@code pier_drift_detected{model,version}} (0 or 1) and {@code pier_drift_rows_total{model,version}} (live
 * rows watched). Scores read NaN until the first full window. Values are written by the drift worker and
 * read by the scrape, so each is volatile.
 */
final class DriftGauges {
    static final String SCORE = "pier_drift_score";
    static final String KS = "pier_drift_ks";
    static final String DETECTED = "pier_drift_detected";
    static final String ROWS = "pier_drift_rows";
    static final String CLASS_FEATURE = "predicted_class";

    /** A gauge's value cell. */
    private static final class Cell {
        volatile double value;

        Cell(double value) {
            this.value = value;
        }
    }

    private final Map<String, Cell> psi = new HashMap<>();
    private final Map<String, Cell> ks = new HashMap<>();
    private final Cell detected = new Cell(0);
    private final Counter rows;

    DriftGauges(MeterRegistry registry, String model, long version, List<String> features) {
        Tags tags = Tags.of("model", model, "version", Long.toString(version));
        for (String f : features) {
            psi.put(
                    f,
                    gauge(
                            registry,
                            SCORE,
                            tags.and("feature", f),
                            "Population stability index of a feature's live window against the reference profile"));
            ks.put(
                    f,
                    gauge(
                            registry,
                            KS,
                            tags.and("feature", f),
                            "Two-sample Kolmogorov-Smirnov statistic D of a feature's live window against the reference"));
        }
        psi.put(
                CLASS_FEATURE,
                gauge(
                        registry,
                        SCORE,
                        tags.and("feature", CLASS_FEATURE),
                        "Population stability index of a feature's live window against the reference profile"));
        Gauge.builder(DETECTED, detected, c -> c.value)
                .tags(tags)
                .strongReference(true)
                .description("1 while the latest live window of this model version is judged drifted, else 0")
                .register(registry);
        rows = Counter.builder(ROWS)
                .tags(tags)
                .description("Live rows fed to drift detection")
                .register(registry);
    }

    private static Cell gauge(MeterRegistry registry, String name, Tags tags, String help) {
        Cell cell = new Cell(Double.NaN);
        Gauge.builder(name, cell, c -> c.value)
                .tags(tags)
                .strongReference(true)
                .description(help)
                .register(registry);
        return cell;
    }

    void countRows(int n) {
        rows.increment(n);
    }

    void update(DriftReport report) {
        report.psi().forEach((f, v) -> psi.get(f).value = v);
        report.ks().forEach((f, v) -> ks.get(f).value = v);
        psi.get(CLASS_FEATURE).value = report.classPsi();
        detected.value = report.detected() ? 1 : 0;
    }
}
