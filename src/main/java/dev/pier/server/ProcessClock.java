package dev.pier.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How long this process has existed, to the OS's 10 ms: {@code /proc/uptime} (seconds since boot, two decimals)
 * minus the process's start in {@code /proc/self/stat} (clock ticks since boot). The JDK's
 * {@code ProcessHandle.Info.startInstant()} adds the boot time from {@code /proc/stat}, which is whole seconds, so
 * a duration measured against it is off by up to a second ("ready in" once read 2.17 s for a start the outside
 * clock timed at 2.08 s). The launcher's exec keeps the process, so its time is included. Linux only; elsewhere
 * (or if {@code /proc} cannot be read) the JDK's answer is used.
 */
public final class ProcessClock {
    /** USER_HZ: the unit of the start time in /proc/PID/stat; 100 on every Linux architecture user space sees. */
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    private ProcessClock() {}

    /** Seconds since this process started, when known. */
    public static Optional<Double> secondsSinceStart() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // fields after the command name, which is in parentheses and may itself hold spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double startedAfterBoot = Long.parseLong(fields[19]) / CLOCK_TICKS_PER_SECOND; // field 22: starttime
            double uptime =
                    Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
            return Optional.of(uptime - startedAfterBoot);
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.current()
                    .info()
                    .startInstant()
                    .map(start -> java.time.Duration.between(start, java.time.Instant.now())
                                    .toMillis()
                            / 1000.0);
        }
    }
}
