package dev.pier.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process series read from a /proc/PID folder: a copy with known contents, then the real one. */
class ProcessMetricsTest {
    @TempDir
    Path proc;

    @Test
    void readsCpuFilesAndMemoryFromProc() throws Exception {
        // fields after the command name: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime
        // stime ...
        Files.writeString(
                proc.resolve("stat"),
                "4242 (java (pier)) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 125 0 0 20 0 30 0\n");
        Files.createDirectories(proc.resolve("fd"));
        for (int i = 0; i < 7; i++) {
            Files.writeString(proc.resolve("fd").resolve(Integer.toString(i)), "");
        }
        Files.writeString(proc.resolve("limits"), """
                Limit                     Soft Limit           Hard Limit           Units
                Max open files            20000                1048576              files
                """);
        Files.writeString(proc.resolve("status"), "Name:\tjava\nVmSize:\t 2048 kB\nVmRSS:\t  512 kB\n");
        ProcessMetrics p = new ProcessMetrics(proc);
        assertThat(p.cpuSeconds()).isEqualTo(3.75);
        assertThat(p.openFds()).isEqualTo(7);
        assertThat(p.maxFds()).isEqualTo(20000);
        assertThat(p.statusKb("VmRSS:")).isEqualTo(512);
        assertThat(p.statusKb("VmSize:")).isEqualTo(2048);
        assertThat(new ProcessMetrics(proc.resolve("missing")).cpuSeconds()).isNaN();
    }

    @Test
    void exportsThePrometheusClientNames() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ProcessMetrics().bindTo(registry);
        String scrape = registry.scrape();
        assertThat(scrape)
                .contains(
                        "# TYPE process_cpu_seconds_total counter",
                        "# TYPE process_start_time_seconds gauge",
                        "process_open_fds ",
                        "process_max_fds ",
                        "process_resident_memory_bytes ",
                        "process_virtual_memory_bytes ");
        if (Files.isDirectory(Path.of("/proc/self/fd"))) {
            assertThat(scrape).doesNotContain("process_open_fds NaN");
        }
    }
}
