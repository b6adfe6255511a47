package dev.pier.server;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Time stamps of start-up's steps, printed when {@code -Dpier.startup.trace=true} (through {@code PIER_JAVA_OPTS})
 * so that where a cold start spends its time is measured, not guessed (docs/benchmarks.md, "Cold start"). Each line
 * gives the wall time since the process started ({@link ProcessClock}: the launcher script included, as its exec
 * keeps the process; 10 ms resolution), the time since the previous mark, the JVM's CPU time so far, the marking
 * thread's own CPU time (the main thread's is start-up's critical path, which a shared machine's load hardly
 * changes) and that thread's name. CPU time is what a busy machine
 * distorts far less than wall time. Off by default: then {@link #mark} costs one volatile read. Thread-safe (steps
 * that run in parallel mark from their own threads).
 */
public final class StartupTimeline {
    /** The system property that turns the timeline on. */
    public static final String PROPERTY = "pier.startup.trace";

    private static final boolean ENABLED = Boolean.getBoolean(PROPERTY);
    /** Read only when enabled: java.management's classes are not loaded otherwise. */
    private static final ThreadMXBean THREADS = ENABLED ? ManagementFactory.getThreadMXBean() : null;

    private static final List<String> MARKS = new ArrayList<>(); // guarded by StartupTimeline.class
    private static double previous; // guarded by StartupTimeline.class
    private static boolean printed; // guarded by StartupTimeline.class

    private StartupTimeline() {}

    public static boolean enabled() {
        return ENABLED;
    }

    /** Records that {@code step} has just finished (or, for a name starting with "start", begun). */
    public static void mark(String step) {
        if (!ENABLED) {
            return;
        }
        double sinceStart = ProcessClock.secondsSinceStart().orElse(Double.NaN);
        long cpuMillis = processCpuMillis();
        long threadCpuNanos = THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
        synchronized (StartupTimeline.class) {
            double since = sinceStart - previous;
            previous = sinceStart;
            String line = String.format(
                    Locale.ROOT,
                    "pier: start-up %6.3f s  +%5.3f s  cpu %6.3f s  thread cpu %6.3f s  [%s] %s",
                    sinceStart,
                    since,
                    cpuMillis / 1000.0,
                    threadCpuNanos / 1e9,
                    Thread.currentThread().getName(),
                    step);
            if (printed) {
                System.out.println(line); // work done after readiness: shown as it happens
            } else {
                MARKS.add(line);
            }
        }
    }

    /** Prints the marks so far (once ready); nothing when off. */
    public static void print(PrintStream out) {
        if (!ENABLED) {
            return;
        }
        synchronized (StartupTimeline.class) {
            MARKS.forEach(out::println);
            MARKS.clear();
            printed = true;
            out.flush();
        }
    }

    /** utime + stime of the whole process (every thread), from the OS; -1 when unknown. */
    private static long processCpuMillis() {
        return ProcessHandle.current()
                .info()
                .totalCpuDuration()
                .map(java.time.Duration::toMillis)
                .orElse(-1L);
    }
}
