package dev.pier.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.ModelState;
import dev.pier.serving.ModelStateListener;
import org.junit.jupiter.api.Test;

/** The per-version series: each request is counted under its own model and version, whatever came before it. */
class ServingMetricsTest {
    private static double value(ServingMetrics m, String name, String model, String version) {
        return m.registry()
                .get(name)
                .tag("model", model)
                .tag("version", version)
                .gauge()
                .value();
    }

    @Test
    void requestsAlternatingBetweenVersionsAndModelsLandInTheirOwnSeries() {
        try (ServingMetrics m = new ServingMetrics()) {
            m.onRequest("a", 1, true, 1, 0, 0, 1_000);
            m.onRequest("a", 1, true, 2, 0, 0, 1_000); // the same series again (the remembered one)
            m.onRequest("a", 2, true, 1, 0, 0, 1_000); // same model, other version
            m.onRequest("b", 1, false, 1, 0, 0, 1_000); // other model, same version number
            m.onRequest("a", 1, true, 4, 0, 0, 1_000); // back to the first
            m.onPending("b", 1, 3);
            assertThat(value(m, "nv_inference_request_success", "a", "1")).isEqualTo(3);
            assertThat(value(m, "nv_inference_count", "a", "1")).isEqualTo(7);
            assertThat(value(m, "nv_inference_request_success", "a", "2")).isEqualTo(1);
            assertThat(value(m, "nv_inference_request_failure", "b", "1")).isEqualTo(1);
            assertThat(value(m, "nv_inference_request_success", "b", "1")).isZero();
            assertThat(value(m, "pier_inference_pending_requests", "b", "1")).isEqualTo(3);
            assertThat(value(m, "pier_inference_pending_requests", "a", "1")).isZero();
        }
    }

    /**
     * Triton exports a loaded model's counters at zero before its first request; Pier made them at the first
     * request, so Prometheus' increase() missed that request and a new model showed no data.
     */
    @Test
    void aVersionThatBecomesAvailableHasItsSeriesAtZeroBeforeAnyRequest() {
        try (ServingMetrics m = new ServingMetrics()) {
            m.onTransition(new ModelStateListener.Event("a", 3, ModelState.START, ModelState.LOADING, ""));
            assertThat(m.registry().find("nv_inference_request_success").gauges())
                    .as("no series while the version is only loading")
                    .isEmpty();
            m.onTransition(new ModelStateListener.Event("a", 3, ModelState.LOADING, ModelState.AVAILABLE, ""));
            assertThat(value(m, "nv_inference_request_success", "a", "3")).isZero();
            assertThat(value(m, "nv_inference_request_failure", "a", "3")).isZero();
            assertThat(value(m, "nv_inference_count", "a", "3")).isZero();
            assertThat(m.get()).contains("nv_inference_request_success{model=\"a\",version=\"3\"} 0.0");
            m.onRequest("a", 3, true, 1, 0, 0, 1_000); // the request lands in the series made at load
            assertThat(value(m, "nv_inference_request_success", "a", "3")).isEqualTo(1);
        }
    }
}
