package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class HeapTargetTest {
    private static long softMax() {
        return Long.parseLong(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("SoftMaxHeapSize")
                .getValue());
    }

    @Test
    void setsTheSoftMaximumToTheSmallerOfTheTargetAndTheMaximumHeap() {
        long before = softMax();
        long applied = HeapTarget.apply();
        try {
            long expected =
                    Math.min(HeapTarget.DEFAULT_MB << 20, Runtime.getRuntime().maxMemory());
            assertThat(applied).isEqualTo(expected);
            assertThat(softMax()).isEqualTo(expected);
            // applied once, the option is no longer the JVM's default: a second call keeps what is set
            assertThat(HeapTarget.apply()).isEqualTo(expected);
        } finally {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .setVMOption("SoftMaxHeapSize", Long.toString(before));
        }
    }
}
