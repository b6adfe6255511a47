package dev.pier.server;

import dev.pier.api.ModelVersionStatus;
import dev.pier.metrics.ServingMetrics;
import dev.pier.runtime.onnx.OrtEngine;
import dev.pier.serving.ModelStateListener;
import dev.pier.serving.ServingCore;
import dev.pier.serving.ServingOptions;

import java.io.PrintStream;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;

/**
 * A whole serving process in one object: ONNX Runtime engine, serving core (models loaded and warmed up)
 * and the network front-ends, started in that order and closed in reverse. Used by {@code pier serve} and
 * {@code pier quickstart}; closing is idempotent and also runs on JVM shutdown (SIGTERM, Ctrl-C).
 */
public final class RunningServer implements AutoCloseable {
    private final OrtEngine engine;
    private final ServingCore core;
    private final PierServer server;
    private final ServingMetrics metrics;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread shutdownHook;

    private RunningServer(OrtEngine engine, ServingCore core, PierServer server, ServingMetrics metrics) {
        this.metrics = metrics;
        this.engine = engine;
        this.core = core;
        this.server = server;
        this.shutdownHook = new Thread(this::closeNow, "pier-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Loads every model, then binds the ports; returns when both are done. */
    public static RunningServer start(ServingOptions serving, ServerOptions network) {
        OrtEngine engine = new OrtEngine();
        ServingMetrics metrics = new ServingMetrics();
        ServingCore core = ServingCore.start(serving, engine, ModelStateListener.NONE, metrics);
        try {
            return new RunningServer(engine, core, PierServer.start(network, core, metrics), metrics);
        } catch (RuntimeException e) {
            core.close();
            metrics.close();
            engine.close();
            throw e;
        }
    }

    public ServingCore core() {
        return core;
    }

    public int httpPort() {
        return server.httpPort();
    }

    public int grpcPort() {
        return server.grpcPort();
    }

    /** Prints the models with their versions and states, then where each protocol listens. */
    public void printBanner(PrintStream out) {
        for (String model : core.modelNames()) {
            for (ModelVersionStatus s : core.status(model, OptionalLong.empty())) {
                out.println("pier: model " + model + " version " + s.version() + " " + s.state()
                        + (s.error().isEmpty() ? "" : ": " + s.error()));
            }
        }
        out.println("pier: REST (KServe V2 /v2/..., TF Serving /v1/...) on http://127.0.0.1:" + httpPort());
        out.println("pier: gRPC (inference.GRPCInferenceService, grpc.health.v1.Health) on 127.0.0.1:" + grpcPort());
        out.println("pier: ready=" + core.isReady() + "; Ctrl-C to stop");
        out.flush();
    }

    /** Blocks until the server is closed (by {@link #close()} or a shutdown signal). */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    @Override
    public void close() {
        closeNow();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run; nothing left to do
        }
    }

    private synchronized void closeNow() {
        if (closed.getCount() == 0) {
            return;
        }
        server.close();
        core.close();
        engine.close();
        metrics.close();
        closed.countDown();
    }
}
