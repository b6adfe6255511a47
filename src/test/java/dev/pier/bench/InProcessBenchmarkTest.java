package dev.pier.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.ModelSignature;
import dev.pier.api.Tensor;
import dev.pier.runtime.ModelSession;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The baseline reports the CPU cores it used, so a server figure can be compared per core. */
class InProcessBenchmarkTest {

    /** A session whose every call burns {@code cpuNanos} of its caller's CPU time (not wall time). */
    private static ModelSession burning(long cpuNanos) {
        return new ModelSession() {
            @Override
            public ModelSignature signature() {
                return new ModelSignature(List.of(), List.of());
            }

            @Override
            public List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
                var bean = ManagementFactory.getThreadMXBean();
                long until = bean.getCurrentThreadCpuTime() + cpuNanos;
                while (bean.getCurrentThreadCpuTime() < until) {
                    Thread.onSpinWait();
                }
                return List.of();
            }

            @Override
            public long sizeBytes() {
                return 0;
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void cpuCoresCoverAtLeastTheCallersCpuTimeAndNoMoreThanTheMachine() throws Exception {
        long perCall = 2_000_000;
        InProcessBenchmark.Result r =
                InProcessBenchmark.run(burning(perCall), Map.of(), 1, 2, Duration.ZERO, Duration.ofMillis(400));

        assertThat(r.requests()).isPositive();
        // every counted call burnt perCall of CPU inside the measured run (a call still running at the end only adds)
        assertThat(r.cpuCores() * r.seconds()).isGreaterThanOrEqualTo(0.95 * r.requests() * perCall / 1e9);
        assertThat(r.cpuCores()).isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors() * 1.05);
    }
}
