package dev.pier.server;

import dev.pier.api.InferenceService;
import dev.pier.protocol.BodyBudget;
import dev.pier.protocol.ErrorMapper;
import dev.pier.protocol.Intake;
import dev.pier.protocol.RestApi;
import dev.pier.protocol.RestOptions;
import dev.pier.protocol.grpc.GrpcApi;
import dev.pier.protocol.grpc.GrpcBodyBudget;
import dev.pier.protocol.grpc.GrpcOptions;
import dev.pier.security.BearerAuthHandler;
import dev.pier.security.SecurityOptions;
import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network side of {@code pier serve}: one Vert.x instance, the REST router (KServe V2 + TF Serving) on
 * the HTTP port and the V2 gRPC service (+ grpc.health.v1) on the gRPC port, both in front of one
 * {@link InferenceService}. Each event loop runs one REST and one gRPC server, sharing the two ports with the other
 * loops' servers, so every core reads requests; tiny models run inline on the loop, the rest on the serving core's
 * execution threads. Owns Vert.x, not the service.
 */
public final class PierServer implements AutoCloseable {
    /** Longest request line (method, path, query) and header block accepted; longer ones get 414 / 431. */
    public static final int MAX_INITIAL_LINE_LENGTH = 4096;

    public static final int MAX_HEADER_SIZE = 8192;
    /** The largest piece of a request body the HTTP/1.1 decoder hands over at once (Vert.x default: 8 KiB). */
    static final int MAX_CHUNK_SIZE = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(PierServer.class);

    private static final long CLOSE_TIMEOUT_SECONDS = 30;
    private final Vertx vertx;
    private final List<HttpServer> servers;
    private final int httpPort;
    private final int grpcPort;
    private final String host;
    private final boolean tls;
    private final ConnectionGuard guard;

    /** For tests: a server over the given Vert.x with no listeners of its own. */
    PierServer(Vertx vertx, List<HttpServer> servers, int httpPort, int grpcPort) {
        this(vertx, servers, httpPort, grpcPort, "127.0.0.1", false, null);
    }

    private PierServer(
            Vertx vertx,
            List<HttpServer> servers,
            int httpPort,
            int grpcPort,
            String host,
            boolean tls,
            ConnectionGuard guard) {
        this.vertx = vertx;
        this.servers = servers;
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
        this.host = host;
        this.tls = tls;
        this.guard = guard;
    }

    /** Binds both ports and returns once they accept connections; a port in use fails with a clear message. */
    public static PierServer start(ServerOptions options, InferenceService service) {
        return start(options, service, (java.util.function.Supplier<String>) null);
    }

    /** @param metrics body of {@code GET /metrics} (Prometheus text); null: no metrics endpoint */
    public static PierServer start(
            ServerOptions options, InferenceService service, java.util.function.Supplier<String> metrics) {
        return start(options, service, metrics, new Drain(), SecurityOptions.none(), router -> {});
    }

    /**
     * The full form: every request is counted by {@code drain} and refused cleanly once it refuses work
     * (graceful shutdown); {@code security} adds bearer-token checks and TLS to both ports; {@code extraRoutes}
     * mounts more REST routes (the repository API, version labels) on the router.
     */
    public static PierServer start(
            ServerOptions options,
            InferenceService service,
            java.util.function.Supplier<String> metrics,
            Drain drain,
            SecurityOptions security,
            Consumer<Router> extraRoutes) {
        return start(options, service, metrics, drain, security, UnaryOperator.identity(), extraRoutes);
    }

    /** As above; {@code front} wraps each port's request handler (request tracing), inside the connection guard. */
    public static PierServer start(
            ServerOptions options,
            InferenceService service,
            java.util.function.Supplier<String> metrics,
            Drain drain,
            SecurityOptions security,
            UnaryOperator<Handler<HttpServerRequest>> front,
            Consumer<Router> extraRoutes) {
        return start(
                EventLoopTransport.vertx(options.eventLoops()),
                options,
                service,
                metrics,
                drain,
                security,
                front,
                extraRoutes);
    }

    /**
     * As above, over a Vert.x instance created beforehand (with {@code options.eventLoops()} event loops, see
     * {@link NetworkWarmup}), which the returned server owns from now on (and closes on a failed start).
     */
    static PierServer start(
            Vertx vertx,
            ServerOptions options,
            InferenceService service,
            java.util.function.Supplier<String> metrics,
            Drain drain,
            SecurityOptions security,
            UnaryOperator<Handler<HttpServerRequest>> front,
            Consumer<Router> extraRoutes) {
        List<HttpServer> servers = new ArrayList<>();
        try {
            // the event loops' contexts are made first, while the routers are built: at bind time only the binds
            // are left (a deployment per loop made just before its bind added ~0.1 s to the first 200)
            List<Future<Context>> contexts = eventLoopContexts(vertx, options.eventLoops());
            IntakeLimits limits = options.limits();
            BodyBudget budget = new BodyBudget(limits.maxInflightBodyBytes());
            Intake intake = new Intake(budget, limits.bodyIdleTimeout().toMillis());
            ConnectionGuard guard = new ConnectionGuard(vertx, limits);
            RestOptions rest = RestOptions.defaults().withMaxBodyBytes(options.maxBodyBytes());
            // Vert.x shares one listening port among servers that ask for the same number, so port 0 is
            // resolved to a free port first; each event loop then runs one server for each port.
            int[] free = options.httpPort() == 0 || options.grpcPort() == 0 ? freePorts(options.host(), 2) : null;
            int httpPort = options.httpPort() == 0 ? firstOther(free, options.grpcPort()) : options.httpPort();
            int grpcPort = options.grpcPort() == 0 ? firstOther(free, httpPort) : options.grpcPort();
            // no cleartext HTTP/2 (h2c) on the REST port: with it Vert.x waits for a request's headers before it
            // reports the connection, so half-sent requests (slowloris) would escape the cap and the header
            // timeout. REST clients get HTTP/1.1 in cleartext, and HTTP/2 over TLS (ALPN) as before.
            // 64 KiB chunks (Vert.x's default is 8 KiB): a request body up to that size reaches the handler
            // as one chunk, decoded where it lies instead of gathered into one more body-sized array
            // (docs/benchmarks.md, "Allocation per request")
            HttpServerOptions http = serverOptions(options, security)
                    .setCompressionSupported(false)
                    .setHttp2ClearTextEnabled(false)
                    .setMaxChunkSize(MAX_CHUNK_SIZE);
            HttpServerOptions grpcHttp = serverOptions(options, security);
            GrpcOptions grpcOptions = new GrpcOptions(options.maxBodyBytes(), RestOptions.DEFAULT_VERSION);
            List<List<Listener>> loops = new ArrayList<>();
            for (int i = 0; i < options.eventLoops(); i++) {
                Router router = RestApi.router(vertx, service, rest, metrics);
                StartupTimeline.mark("REST router " + i);
                // first of all routes: decides on the normalized path the router itself matches routes against;
                // without tokens there is nothing to decide, and no route to pass through on every request
                if (security.tokens()) {
                    router.route().order(-2).handler(BearerAuthHandler.forRouter(security));
                }
                extraRoutes.accept(router);
                // every route that reads a body finds the intake in its own metadata: no per-request route and no
                // routing-context map just to hand it over (1.3 % of the JSON row's allocation samples)
                router.getRoutes().forEach(route -> route.putMetadata(Intake.METADATA_KEY, intake));
                StartupTimeline.mark("extra routes " + i);
                Handler<HttpServerRequest> restHandler = guard.guard(front.apply(new DrainingHandler(drain, router)));
                Handler<HttpServerRequest> grpcHandler = guard.guard(front.apply(new DrainingHandler(
                        drain,
                        BearerAuthHandler.ifTokens(
                                security, new GrpcBodyBudget(budget, GrpcApi.server(vertx, service, grpcOptions))))));
                StartupTimeline.mark("gRPC services " + i);
                loops.add(List.of(
                        new Listener(http, restHandler, "REST", "--http-port", httpPort),
                        new Listener(grpcHttp, grpcHandler, "gRPC", "--grpc-port", grpcPort)));
            }
            // The first loop's servers bind both ports at once (one after the other, the binds queued behind each
            // other on a 2-core machine: docs/benchmarks.md, "Cold start"); the other loops' servers only join
            // those sockets, once they are bound: joining a bind that fails makes Vert.x fail a promise twice.
            for (int i = 0; i < loops.size(); i++) {
                List<Listener> ports = loops.get(i);
                Context context = started(contexts.get(i));
                List<Future<HttpServer>> binding = bindOn(context, vertx, guard, options.host(), ports);
                for (int p = 0; p < ports.size(); p++) {
                    servers.add(await(binding.get(p), ports.get(p), options.host()));
                }
                StartupTimeline.mark("event loop " + i + " listening");
            }
            // both ports were resolved before binding (port 0 included), so they are the ports bound
            return new PierServer(vertx, servers, httpPort, grpcPort, options.host(), security.tls(), guard);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /**
     * One port's server: its socket options, its request handler, and for errors which protocol it serves and the
     * option that sets its port; the port.
     */
    private record Listener(
            HttpServerOptions options, Handler<HttpServerRequest> handler, String what, String portOption, int port) {}

    /**
     * One Vert.x context per event loop, each from a deployment of its own: a server takes the event loop of the
     * context that binds it, and a thread outside Vert.x keeps one "sticky" event loop for all it starts. Bound
     * from the caller's thread, every REST server and the gRPC server shared one event loop, and the whole network
     * side ran on one core whatever --event-loops said (docs/benchmarks.md, "Eighth round"). Each deployment
     * takes the next of Vert.x's event loops in turn.
     */
    private static List<Future<Context>> eventLoopContexts(Vertx vertx, int loops) {
        List<Future<Context>> contexts = new ArrayList<>();
        for (int i = 0; i < loops; i++) {
            Promise<Context> made = Promise.promise();
            vertx.deployVerticle((Deployable) context -> {
                made.complete(context);
                return Future.succeededFuture();
            });
            contexts.add(made.future());
        }
        return contexts;
    }

    /** Makes and binds, on {@code context}'s event loop, one server for each of {@code listeners}; their binds. */
    private static List<Future<HttpServer>> bindOn(
            Context context, Vertx vertx, ConnectionGuard guard, String host, List<Listener> listeners) {
        List<Promise<HttpServer>> bound = new ArrayList<>();
        listeners.forEach(l -> bound.add(Promise.promise()));
        context.runOnContext(v -> {
            for (int i = 0; i < listeners.size(); i++) {
                Listener l = listeners.get(i);
                guarded(vertx.createHttpServer(l.options()), guard, l.options())
                        .requestHandler(l.handler())
                        .listen(l.port(), host)
                        .onComplete(bound.get(i));
            }
        });
        return bound.stream().map(Promise::future).toList();
    }

    /** Socket options both ports share: header size limits (Vert.x defaults, stated), HTTP/2 stream cap, TLS. */
    private static HttpServerOptions serverOptions(ServerOptions options, SecurityOptions security) {
        HttpServerOptions http = new HttpServerOptions()
                .setHost(options.host())
                .setTcpNoDelay(true)
                .setMaxInitialLineLength(MAX_INITIAL_LINE_LENGTH)
                .setMaxHeaderSize(MAX_HEADER_SIZE)
                .setInitialSettings(new Http2Settings()
                        .setMaxConcurrentStreams(options.limits().maxStreamsPerConnection()));
        return tls(http, security);
    }

    /** The connection cap and timers, JSON bodies for 414/431/400, and client hang-ups logged at DEBUG. */
    private static HttpServer guarded(HttpServer server, ConnectionGuard guard, HttpServerOptions http) {
        return server.connectionHandler(guard.onConnection())
                .invalidRequestHandler(
                        RestApi.invalidRequestHandler(http.getMaxInitialLineLength(), http.getMaxHeaderSize()))
                .exceptionHandler(PierServer::connectionFailure);
    }

    private static void connectionFailure(Throwable failure) {
        if (ErrorMapper.isClientGone(failure)) {
            LOG.debug("client went away: {}", failure.toString());
        } else {
            LOG.warn("connection failed: {}", failure.toString());
        }
    }

    /** TLS from PEM files when configured; ALPN offers h2 so gRPC clients get HTTP/2 over TLS. */
    private static HttpServerOptions tls(HttpServerOptions http, SecurityOptions security) {
        if (!security.tls()) {
            return http;
        }
        return http.setSsl(true)
                .setUseAlpn(true)
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setCertPath(security.tlsCert().get().toString())
                        .setKeyPath(security.tlsKey().get().toString()));
    }

    /**
     * {@code count} distinct free ports on {@code host}: the probe sockets are all held open until every port is
     * read. Probed one after the other, a port closed by one probe could come back from the next, and Vert.x then
     * put the REST and the gRPC server behind one socket, handing connections to each in turn (a REST request on
     * the "REST" port answered 415 by gRPC).
     */
    static int[] freePorts(String host, int count) {
        java.util.List<java.net.ServerSocket> probes = new ArrayList<>();
        try {
            java.net.InetAddress address = java.net.InetAddress.getByName(host);
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, address);
                probes.add(probe);
                ports[i] = probe.getLocalPort();
            }
            return ports;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot find a free port on " + host + ": " + e.getMessage(), e);
        } finally {
            for (java.net.ServerSocket probe : probes) {
                try {
                    probe.close();
                } catch (java.io.IOException ignored) {
                    // a probe that cannot close leaves its port taken: the bind then says so
                }
            }
        }
    }

    /** The first of {@code ports} that is not {@code taken}. */
    private static int firstOther(int[] ports, int taken) {
        return ports[0] != taken ? ports[0] : ports[1];
    }

    /** Waits at most 30 s for {@code future}; an interrupt keeps the thread's flag and fails "while {@code doing}". */
    private static <T> T waitFor(Future<T> future, String doing) throws ExecutionException, TimeoutException {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + doing, e);
        }
    }

    private static Context started(Future<Context> context) {
        try {
            return waitFor(context, "starting the network event loops");
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot start the network event loops: " + e, e);
        }
    }

    private static HttpServer await(Future<HttpServer> listening, Listener listener, String host) {
        String where = listener.what() + " on " + host + ":" + listener.port();
        try {
            return waitFor(listening, "binding " + listener.what());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IllegalArgumentException(
                    "cannot listen for " + where + ": " + (cause.getMessage() != null ? cause.getMessage() : cause)
                            + " (is the port in use? choose another with " + listener.portOption() + ")",
                    cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out binding " + where, e);
        }
    }

    public int httpPort() {
        return httpPort;
    }

    public int grpcPort() {
        return grpcPort;
    }

    /** The interface both ports are bound to, as given ({@code 0.0.0.0} or {@code ::} = every interface). */
    public String host() {
        return host;
    }

    /** Whether both ports speak TLS. */
    public boolean tls() {
        return tls;
    }

    /** Connections open now on both ports. */
    public int openConnections() {
        return guard.openConnections();
    }

    /**
     * Stops accepting connections on both ports and lets each open one finish what it is answering: HTTP/1.x
     * connections close once their response is out, HTTP/2 ones get GOAWAY and close when their streams end;
     * waits at most {@code timeout}. Part of the shutdown sequence, before {@link #close()}.
     */
    public void stopAccepting(java.time.Duration timeout) {
        // Vert.x's shutdown closes at once every HTTP/1.x connection with no response in progress, including
        // one just accepted whose request is still in the socket: that client sees a reset. So the listening
        // sockets are closed first, the connections already accepted get their answer (a 503 that closes
        // them), and only then does the shutdown close what is left.
        if (servers.stream().allMatch(PierServer::unbind)) {
            long until = System.nanoTime() + Math.min(timeout.toNanos(), TimeUnit.MILLISECONDS.toNanos(500));
            while (guard.openConnections() > 0 && System.nanoTime() < until) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        List<io.vertx.core.Future<Void>> stopping = new ArrayList<>();
        for (HttpServer server : servers) {
            stopping.add(server.shutdown(timeout.toMillis(), TimeUnit.MILLISECONDS));
        }
        try {
            io.vertx.core.Future.join(stopping)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("stopping the listeners: {}", e.toString());
        }
    }

    /**
     * Closes only the listening socket behind {@code server} (Vert.x has no public call for that; its internals
     * are read reflectively, and any change there just returns false and the plain shutdown is used).
     */
    private static boolean unbind(HttpServer server) {
        try {
            Object tcp = field(server, "tcpServer");
            Object actual = field(tcp, "actualServer");
            io.vertx.core.Future<?> bound =
                    (io.vertx.core.Future<?>) field(actual != null ? actual : tcp, "bindFuture");
            if (bound != null && bound.succeeded() && bound.result() instanceof io.netty.channel.Channel channel) {
                channel.close().syncUninterruptibly();
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("cannot close the listener alone ({}); using Vert.x's shutdown", e.toString());
            return false;
        }
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        for (Class<?> c = owner.getClass(); c != null; c = c.getSuperclass()) {
            try {
                java.lang.reflect.Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(owner);
            } catch (NoSuchFieldException e) {
                // try the superclass
            }
        }
        throw new NoSuchFieldException(name);
    }

    /**
     * Stops accepting connections and closes Vert.x; responses still in flight are cut (drain first, see
     * {@link Drain}). A close that fails or times out is logged; only a real interrupt sets the thread's
     * interrupt flag (setting it otherwise made every wait after this one, the model drain included, return at once).
     */
    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("closing the network servers failed: {}", String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            LOG.warn("the network servers did not close within {} s", CLOSE_TIMEOUT_SECONDS);
        }
    }
}
