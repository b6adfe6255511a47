package dev.pier.monitor.dashboard;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Reads one model version's series out of the server's Micrometer registry by meter name and the tags
 * {@code model} and {@code version}, as {@link dev.pier.metrics.ServingMetrics} and the monitoring features
 * register them. A meter that is not there reads as zero (serving series) or null (quality gauges), so the
 * dashboard works whatever features are on. Stateless; thread-safe as the registry is.
 */
final class RegistryReader {
    static final String SUCCESS = "nv_inference_request_success";
    static final String FAILURE = "nv_inference_request_failure";
    static final String INFERENCES = "nv_inference_count";
    static final String PENDING = "pier_inference_pending_requests";
    static final String LATENCY = "pier_inference_request_duration";
    static final String BATCH = "pier_inference_batch_size";
    static final String DRIFT_SCORE = "pier_drift_score";
    static final String DRIFT_DETECTED = "pier_drift_detected";
    static final String ACCURACY = "pier_live_accuracy";
    static final String PRECISION = "pier_live_precision";
    static final String RECALL = "pier_live_recall";
    static final String F1 = "pier_live_f1";
    static final String FEEDBACK = "pier_feedback_rows";

    private final MeterRegistry registry;

    RegistryReader(MeterRegistry registry) {
        this.registry = registry;
    }

    RawSample raw(String model, long version, long nanos) {
        String v = Long.toString(version);
        Timer latency =
                registry.find(LATENCY).tags("model", model, "version", v).timer();
        DistributionSummary batch =
                registry.find(BATCH).tags("model", model, "version", v).summary();
        return new RawSample(
                nanos,
                zeroIfAbsent(value(SUCCESS, model, v)),
                zeroIfAbsent(value(FAILURE, model, v)),
                zeroIfAbsent(value(INFERENCES, model, v)),
                zeroIfAbsent(value(PENDING, model, v)),
                latency == null ? Histogram.EMPTY : histogram(latency.takeSnapshot(), true),
                batch == null ? Histogram.EMPTY : histogram(batch.takeSnapshot(), false));
    }

    Quality quality(String model, long version) {
        String v = Long.toString(version);
        Map<String, Double> drift = new TreeMap<>();
        for (Meter m :
                registry.find(DRIFT_SCORE).tags("model", model, "version", v).meters()) {
            Double score = first(m);
            String feature = m.getId().getTag("feature");
            if (score != null) {
                drift.put(feature == null ? "(all)" : feature, score);
            }
        }
        Double detected = value(DRIFT_DETECTED, model, v);
        return new Quality(
                drift,
                detected == null ? null : detected != 0,
                value(ACCURACY, model, v),
                value(PRECISION, model, v),
                value(RECALL, model, v),
                value(F1, model, v),
                value(FEEDBACK, model, v));
    }

    /** The value of a gauge, counter or function counter; null when there is none or it is not a number. */
    private Double value(String name, String model, String version) {
        Meter meter =
                registry.find(name).tags("model", model, "version", version).meter();
        return meter == null ? null : first(meter);
    }

    private static Double first(Meter meter) {
        for (Measurement m : meter.measure()) {
            double value = m.getValue();
            return Double.isFinite(value) ? value : null;
        }
        return null;
    }

    private static double zeroIfAbsent(Double value) {
        return value == null ? 0 : value;
    }

    private static Histogram histogram(HistogramSnapshot snapshot, boolean seconds) {
        CountAtBucket[] buckets = snapshot.histogramCounts();
        double[] bounds = new double[buckets.length];
        double[] counts = new double[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            bounds[i] = seconds ? buckets[i].bucket(TimeUnit.SECONDS) : buckets[i].bucket();
            counts[i] = buckets[i].count();
        }
        return new Histogram(
                bounds, counts, snapshot.count(), seconds ? snapshot.total(TimeUnit.SECONDS) : snapshot.total());
    }
}
