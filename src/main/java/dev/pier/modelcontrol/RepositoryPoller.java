package dev.pier.modelcontrol;

import dev.pier.serving.ServingCore;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --model-control poll}: re-scans the repository at a fixed delay and hands the snapshot to the serving
 * core, whose manager does the rollout (load + warm-up of the new version, atomic switch, drain and unload of
 * the old one; a failed new version leaves the old serving). A scan that fails is logged and retried at the
 * next tick. Owns one daemon thread; {@link #close()} stops it.
 */
public final class RepositoryPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RepositoryPoller.class);

    private final ScheduledExecutorService timer;

    private RepositoryPoller(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    public static RepositoryPoller start(ServingCore core, Duration interval) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pier-repository-poll");
            t.setDaemon(true);
            return t;
        });
        long millis = interval.toMillis();
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        core.refresh(); // loads run on the manager's threads; the next scan does not wait for them
                    } catch (RuntimeException e) {
                        LOG.warn("repository poll failed (retrying in {} ms): {}", millis, e.getMessage());
                    }
                },
                millis,
                millis,
                TimeUnit.MILLISECONDS);
        return new RepositoryPoller(timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
