package dev.pier.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process series every Prometheus client library exports under the same names, so the stock "process"
 * panels and alerts work on Pier: {@code process_start_time_seconds}, {@code process_cpu_seconds_total},
 * {@code process_open_fds}, {@code process_max_fds}, {@code process_resident_memory_bytes},
 * {@code process_virtual_memory_bytes}.
 *
 * <p>Read from {@code /proc/self} rather than through {@code com.sun.management}: that module is absent from
 * the image's jlink'd runtime (see {@code IntakeLimits}). Where {@code /proc} is missing (not Linux) a series reads
 * NaN and Prometheus drops that sample. The start time comes from {@code java.management}, which the JVM binders
 * need anyway. Stateless; every scrape reads the files afresh.
 */
public final class ProcessMetrics implements MeterBinder {
    /** USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every Linux architecture user space sees. */
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    private final Path proc;

    public ProcessMetrics() {
        this(Path.of("/proc/self"));
    }

    /** @param proc the {@code /proc/PID} folder to read (tests pass a copy) */
    ProcessMetrics(Path proc) {
        this.proc = proc;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        double start = ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0;
        Gauge.builder("process.start.time", () -> start)
                .baseUnit("seconds")
                .description("start time of the process since the Unix epoch")
                .register(registry);
        FunctionCounter.builder("process.cpu", this, ProcessMetrics::cpuSeconds)
                .baseUnit("seconds")
                .description("user and system CPU time the process has used")
                .register(registry);
        Gauge.builder("process.open.fds", this, ProcessMetrics::openFds)
                .description("open file descriptors")
                .register(registry);
        Gauge.builder("process.max.fds", this, ProcessMetrics::maxFds)
                .description("the soft limit on open file descriptors")
                .register(registry);
        Gauge.builder("process.resident.memory", this, p -> p.statusKb("VmRSS:") * 1024)
                .baseUnit("bytes")
                .description("resident memory size")
                .register(registry);
        Gauge.builder("process.virtual.memory", this, p -> p.statusKb("VmSize:") * 1024)
                .baseUnit("bytes")
                .description("virtual memory size")
                .register(registry);
    }

    /** utime + stime (fields 14 and 15 of /proc/self/stat, counted after the parenthesised command name). */
    double cpuSeconds() {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state), so field 14 is fields[11]
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    double openFds() {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            int n = 0;
            for (Path ignored : fds) {
                n++;
            }
            return n;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    double maxFds() {
        try {
            for (String line : Files.readAllLines(proc.resolve("limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft =
                            line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Double.POSITIVE_INFINITY : Double.parseDouble(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return Double.NaN;
    }

    /** A {@code kB} line of /proc/self/status, e.g. {@code VmRSS:   123456 kB}. */
    double statusKb(String key) {
        try {
            List<String> lines = Files.readAllLines(proc.resolve("status"));
            for (String line : lines) {
                if (line.startsWith(key)) {
                    return Double.parseDouble(
                            line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return Double.NaN;
    }
}
