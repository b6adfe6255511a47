package dev.pier.monitor.log;

import dev.pier.monitor.InferenceTap;
import dev.pier.monitor.feedback.FeedbackRoutes;
import dev.pier.monitor.feedback.FeedbackService;
import dev.pier.monitor.feedback.LiveMetrics;
import dev.pier.monitor.feedback.RecentPredictions;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;

/**
 * Prediction logging and feedback assembled for a server: the taps to put in front of the models, the
 * feedback route to mount, and one {@link #close()} that flushes the log. Thread-safe; owns the log.
 */
public final class PredictionMonitoring implements AutoCloseable {
    private final PredictionLog log; // null without --prediction-log
    private final RecentPredictions recent; // null with --feedback-window 0
    private final FeedbackService feedback;

    private PredictionMonitoring(PredictionLog log, RecentPredictions recent, FeedbackService feedback) {
        this.log = log;
        this.recent = recent;
        this.feedback = feedback;
    }

    public static PredictionMonitoring start(PredictionMonitoringOptions options, MeterRegistry registry) {
        PredictionLog log =
                options.log().map(o -> new PredictionLog(o, registry)).orElse(null);
        if (options.feedbackWindow() == 0) {
            return new PredictionMonitoring(log, null, null);
        }
        RecentPredictions recent = new RecentPredictions(options.feedbackWindow());
        FeedbackService feedback = new FeedbackService(recent, new LiveMetrics(registry), log != null ? log : p -> {});
        return new PredictionMonitoring(log, recent, feedback);
    }

    /** The taps for {@link dev.pier.monitor.MonitoringService}: the window first (cheap), then the log. */
    public List<InferenceTap> taps() {
        List<InferenceTap> taps = new ArrayList<>();
        if (recent != null) {
            taps.add(recent);
        }
        if (log != null) {
            taps.add(log);
        }
        return taps;
    }

    /** Mounts {@code POST /v2/models/{m}/feedback} (when feedback is on). */
    public void mount(Router router) {
        if (feedback != null) {
            new FeedbackRoutes(feedback).mount(router);
        }
    }

    @Override
    public void close() {
        if (log != null) {
            log.close();
        }
    }
}
