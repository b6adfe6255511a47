package dev.pier.server;

import java.time.Duration;

/**
 * What one server lets clients hold: memory for request bodies, time to send headers and bodies, idle
 * keep-alive connections, open connections and HTTP/2 streams. Each limit answers with a clear refusal
 * (see docs/serving-operations.md, "Limits and timeouts"); none of them touches a well-behaved client.
 *
 * @param maxInflightBodyBytes     request-body bytes being received or held before decoding, all connections
 *                                 together; past it new bodies get 503 + Retry-After (gRPC RESOURCE_EXHAUSTED).
 *                                 Default a quarter of the heap
 * @param headerTimeout            a connection must deliver a request's complete headers within this of opening
 *                                 (slowloris); else it is closed. Default 10 s
 * @param bodyIdleTimeout          a body that sends nothing for this long is cut with 408. Default 30 s
 * @param keepAliveTimeout         an idle keep-alive connection (no request in progress) is closed after this
 *                                 (HTTP/2: GOAWAY). Default 60 s
 * @param maxConnections           open connections on both ports together; past it a connection's requests get
 *                                 503 (health checks are still answered) and it is closed. Default from the
 *                                 process's file-descriptor limit
 * @param maxStreamsPerConnection  concurrent HTTP/2 streams (gRPC calls) one connection may open. Default 128
 */
public record IntakeLimits(
        long maxInflightBodyBytes,
        Duration headerTimeout,
        Duration bodyIdleTimeout,
        Duration keepAliveTimeout,
        int maxConnections,
        int maxStreamsPerConnection) {
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_BODY_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_KEEP_ALIVE_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_STREAMS = 128;

    public IntakeLimits {
        if (maxInflightBodyBytes <= 0) {
            throw new IllegalArgumentException(
                    "--max-inflight-body-bytes must be positive, got " + maxInflightBodyBytes);
        }
        positive("--header-timeout", headerTimeout);
        positive("--body-idle-timeout", bodyIdleTimeout);
        positive("--keep-alive-timeout", keepAliveTimeout);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("--max-connections must be >= 1, got " + maxConnections);
        }
        if (maxStreamsPerConnection < 1) {
            throw new IllegalArgumentException(
                    "--max-streams-per-connection must be >= 1, got " + maxStreamsPerConnection);
        }
    }

    public static IntakeLimits defaults() {
        return new IntakeLimits(
                dev.pier.protocol.BodyBudget.defaultLimit(),
                DEFAULT_HEADER_TIMEOUT,
                DEFAULT_BODY_IDLE_TIMEOUT,
                DEFAULT_KEEP_ALIVE_TIMEOUT,
                defaultMaxConnections(),
                DEFAULT_MAX_STREAMS);
    }

    public IntakeLimits withMaxInflightBodyBytes(long v) {
        return new IntakeLimits(
                v, headerTimeout, bodyIdleTimeout, keepAliveTimeout, maxConnections, maxStreamsPerConnection);
    }

    public IntakeLimits withTimeouts(Duration header, Duration bodyIdle, Duration keepAlive) {
        return new IntakeLimits(
                maxInflightBodyBytes, header, bodyIdle, keepAlive, maxConnections, maxStreamsPerConnection);
    }

    public IntakeLimits withConnections(int connections, int streams) {
        return new IntakeLimits(
                maxInflightBodyBytes, headerTimeout, bodyIdleTimeout, keepAliveTimeout, connections, streams);
    }

    /**
     * Three quarters of the file descriptors the process may open (the rest is for model files, logs and
     * connections over the cap, which are accepted, answered and closed), at most 10,000; 4,096 where the
     * limit is unknown.
     */
    static int defaultMaxConnections() {
        long fds = openFileLimit();
        return fds > 0 ? (int) Math.max(64, Math.min(10_000, fds * 3 / 4)) : 4096;
    }

    /**
     * The soft limit on open files from {@code /proc/self/limits}, or -1. Read from the kernel rather than through
     * {@code com.sun.management}, which a trimmed runtime (the container image's jlink'd JRE) does not have.
     */
    static long openFileLimit() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft =
                            line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux, or an unreadable /proc: the caller's fallback applies
        }
        return -1;
    }

    private static void positive(String option, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(option + " must be a positive duration, got " + d);
        }
    }
}
