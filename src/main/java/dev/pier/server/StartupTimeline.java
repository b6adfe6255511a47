package dev.pier.server;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Time stamps of start-up's steps, printed when {@code -Dpier.startup.trace=true} (through {@code PIER_JAVA_OPTS})
 * so that where a cold start spends its time is measured, not guessed (docs/benchmarks.md, "Cold start"). Each line
 * gives the wall time since the process started (the launcher script included: its exec keeps the process), the
 * time since the previous mark, the thread that marked it and the JVM's CPU time so far, which a busy machine
 * distorts far less than wall time. Off by default: then {@link #mark} costs one volatile read. Thread-safe (steps
 * that run in parallel mark from their own threads).
 */
public final class StartupTimeline {
    /** The system property that turns the timeline on. */
    public static final String PROPERTY = "pier.startup.trace";
    private static final boolean ENABLED = Boolean.getBoolean(PROPERTY);
    private static final List<String> MARKS = new ArrayList<>();   // guarded by StartupTimeline.class
    private static long previousMillis;                             // guarded by StartupTimeline.class
    private static boolean printed;                                 // guarded by StartupTimeline.class

    private StartupTimeline() {
    }

    public static boolean enabled() {
        return ENABLED;
    }

    /** Records that {@code step} has just finished (or, for a name starting with "start", begun). */
    public static void mark(String step) {
        if (!ENABLED) {
            return;
        }
        long now = System.currentTimeMillis();
        long cpuMillis = processCpuMillis();
        synchronized (StartupTimeline.class) {
            long origin = processStartMillis();
            long since = previousMillis == 0 ? now - origin : now - previousMillis;
            previousMillis = now;
            String line = String.format(Locale.ROOT, "pier: start-up %6.3f s  +%5.3f s  cpu %6.3f s  [%s] %s",
                    (now - origin) / 1000.0, since / 1000.0, cpuMillis / 1000.0, Thread.currentThread().getName(), step);
            if (printed) {
                System.out.println(line);   // work done after readiness: shown as it happens
            } else {
                MARKS.add(line);
            }
        }
    }

    /** Prints the marks so far (once ready), with the JVM's own start for reference; nothing when off. */
    public static void print(PrintStream out) {
        if (!ENABLED) {
            return;
        }
        synchronized (StartupTimeline.class) {
            long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
            out.printf(Locale.ROOT, "pier: start-up %6.3f s  JVM started (the launcher script took this)%n",
                    (jvmStart - processStartMillis()) / 1000.0);
            MARKS.forEach(out::println);
            MARKS.clear();
            printed = true;
            out.flush();
        }
    }

    private static long originMillis;   // guarded by StartupTimeline.class (0: not read yet)

    private static synchronized long processStartMillis() {
        if (originMillis == 0) {
            originMillis = ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli)
                    .orElseGet(() -> java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
        }
        return originMillis;
    }

    /** utime + stime of the whole process (every thread), from the OS; -1 when unknown. */
    private static long processCpuMillis() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
    }
}
