package dev.pier.server;

import java.time.Duration;

/**
 * How {@code pier serve} stops on SIGTERM (see {@link Drain} for the phases).
 *
 * @param drain how long after SIGTERM requests are still served while readiness already reports false, so
 *              that Kubernetes (or any load balancer) has time to stop routing here. Default 5 s
 * @param grace the whole shutdown budget counted from SIGTERM: requests accepted before it ends are allowed
 *              to finish; what is still running then is cut. Default 30 s (Kubernetes'
 *              {@code terminationGracePeriodSeconds} default). Must be >= drain
 */
public record ShutdownOptions(Duration drain, Duration grace) {
    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(5);
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

    public ShutdownOptions {
        if (drain == null || grace == null || drain.isNegative() || grace.isNegative()) {
            throw new IllegalArgumentException(
                    "drain and grace periods must be >= 0, got drain=" + drain + ", grace=" + grace);
        }
        if (grace.compareTo(drain) < 0) {
            throw new IllegalArgumentException(
                    "the grace period (" + grace.toSeconds() + " s) must be at least the drain window ("
                            + drain.toSeconds() + " s): the drain is part of the grace period");
        }
    }

    public static ShutdownOptions defaults() {
        return new ShutdownOptions(DEFAULT_DRAIN, DEFAULT_GRACE);
    }
}
