package dev.pier.server;

import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network side's start-up work that needs no model, done on its own thread while the main thread starts ONNX
 * Runtime and loads the models: creating the Vert.x instance (Netty's event loops, allocator and transport) and
 * initialising the protocol classes whose static set-up is costly (the gRPC services' protobuf descriptors, the JSON
 * factory). On a 2-core machine the two halves of start-up then overlap instead of queueing (docs/benchmarks.md,
 * "Cold start"). Nothing is bound here: the ports open only once the models are loaded, so readiness keeps its
 * meaning. Owns the Vert.x instance until {@link #takeVertx()} hands it over; {@link #close()} closes it if not.
 */
final class NetworkWarmup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkWarmup.class);

    private final CompletableFuture<Vertx> vertx = new CompletableFuture<>();
    private boolean handedOver; // guarded by this

    private NetworkWarmup() {}

    /** Starts the warm-up thread for a server with {@code eventLoops} event loops (each serves both ports). */
    static NetworkWarmup start(int eventLoops) {
        NetworkWarmup warmup = new NetworkWarmup();
        Thread thread = new Thread(() -> warmup.run(eventLoops), "pier-network-warmup");
        thread.setDaemon(true);
        thread.start();
        return warmup;
    }

    private void run(int eventLoops) {
        try {
            vertx.complete(EventLoopTransport.vertx(eventLoops));
            StartupTimeline.mark("Vert.x created");
        } catch (Throwable t) {
            vertx.completeExceptionally(t);
            return;
        }
        // class initialisation only: a failure here is not the server's (it shows again where the class is used)
        try {
            initialise("dev.pier.protocol.grpc.GrpcApi");
            initialise("dev.pier.protocol.codec.Json");
            initialise("dev.pier.protocol.ErrorMapper");
            initialise("io.vertx.ext.web.Router");
            initialise("io.vertx.grpc.server.GrpcServer");
            initialise("dev.pier.protocol.RestApi");
            // what binding a port initialises first (measured with async-profiler on the main thread): Netty's
            // buffer allocators and its server channel and bootstrap
            initialise("io.vertx.core.impl.buffer.VertxByteBufAllocator");
            initialise("io.netty.buffer.ByteBufUtil");
            initialise("io.netty.channel.socket.nio.NioServerSocketChannel");
            initialise("io.netty.bootstrap.ServerBootstrap");
            StartupTimeline.mark("protocol classes initialised");
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LOG.debug("warming up the protocol classes: {}", e.toString());
        }
    }

    private static void initialise(String className) throws ClassNotFoundException {
        Class.forName(className, true, NetworkWarmup.class.getClassLoader());
    }

    /** Waits for the Vert.x instance and hands it over: from now on the caller owns (and closes) it. */
    synchronized Vertx takeVertx() {
        try {
            Vertx v = vertx.get();
            handedOver = true;
            return v;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot start Vert.x: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Vert.x", e);
        }
    }

    /** Closes the Vert.x instance unless it was handed over (a start-up that failed before binding). */
    @Override
    public synchronized void close() {
        if (handedOver) {
            return;
        }
        handedOver = true;
        vertx.thenAccept(Vertx::close);
    }
}
