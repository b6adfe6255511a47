package dev.pier.server;

/**
 * Where and how the network front-ends listen.
 *
 * @param host         interface to bind (default {@code 0.0.0.0}, as TF Serving and Triton do)
 * @param httpPort     REST port for KServe V2 and TF Serving (default 8501, TF Serving's REST port); 0 = any free port
 * @param grpcPort     KServe V2 gRPC port (default 8500, TF Serving's gRPC port); 0 = any free port
 * @param maxBodyBytes largest accepted request body / gRPC message (default 64 MiB); larger ones get 413
 * @param eventLoops   Vert.x event loops, each serving both ports (default: one per core); only models
 *                     predicted to answer within 100 µs run on them (see {@code Batcher})
 * @param limits       memory, time and connection limits for clients (see {@link IntakeLimits})
 */
public record ServerOptions(
        String host, int httpPort, int grpcPort, long maxBodyBytes, int eventLoops, IntakeLimits limits) {
    public static final int DEFAULT_HTTP_PORT = 8501;
    public static final int DEFAULT_GRPC_PORT = 8500;
    public static final long DEFAULT_MAX_BODY_BYTES = 64L * 1024 * 1024;

    public ServerOptions {
        checkPort("HTTP", httpPort);
        checkPort("gRPC", grpcPort);
        if (httpPort != 0 && httpPort == grpcPort) {
            // Vert.x would put both servers behind one socket and hand connections to REST and gRPC in turn
            throw new IllegalArgumentException(
                    "the HTTP and gRPC ports must differ, got " + httpPort + " for both (--http-port, --grpc-port)");
        }
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("max body size must be positive, got " + maxBodyBytes);
        }
        if (eventLoops < 1) {
            throw new IllegalArgumentException("event loops must be >= 1, got " + eventLoops);
        }
        java.util.Objects.requireNonNull(limits, "limits");
    }

    /** With the default {@link IntakeLimits}. */
    public ServerOptions(String host, int httpPort, int grpcPort, long maxBodyBytes, int eventLoops) {
        this(host, httpPort, grpcPort, maxBodyBytes, eventLoops, IntakeLimits.defaults());
    }

    public ServerOptions withLimits(IntakeLimits v) {
        return new ServerOptions(host, httpPort, grpcPort, maxBodyBytes, eventLoops, v);
    }

    public static ServerOptions defaults() {
        return new ServerOptions(
                "0.0.0.0",
                DEFAULT_HTTP_PORT,
                DEFAULT_GRPC_PORT,
                DEFAULT_MAX_BODY_BYTES,
                Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    private static void checkPort(String what, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(what + " port must be in 0..65535, got " + port);
        }
    }
}
