package dev.pier.server;

import dev.pier.api.InferenceService;
import dev.pier.protocol.RestApi;
import dev.pier.protocol.RestOptions;
import dev.pier.protocol.grpc.GrpcApi;
import dev.pier.protocol.grpc.GrpcOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import dev.pier.security.BearerAuthHandler;
import dev.pier.security.SecurityOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The network side of {@code pier serve}: one Vert.x instance, the REST router (KServe V2 + TF Serving) on
 * the HTTP port and the V2 gRPC service (+ grpc.health.v1) on the gRPC port, both in front of one
 * {@link InferenceService}. REST is served by one HttpServer per event loop sharing the port, so both cores
 * parse JSON; inference itself runs on the serving core's worker pool. Owns Vert.x, not the service.
 */
public final class PierServer implements AutoCloseable {
    private final Vertx vertx;
    private final List<HttpServer> servers;
    private final int httpPort;
    private final int grpcPort;

    private PierServer(Vertx vertx, List<HttpServer> servers, int httpPort, int grpcPort) {
        this.vertx = vertx;
        this.servers = servers;
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
    }

    /** Binds both ports and returns once they accept connections; a port in use fails with a clear message. */
    public static PierServer start(ServerOptions options, InferenceService service) {
        return start(options, service, (java.util.function.Supplier<String>) null);
    }

    /** @param metrics body of {@code GET /metrics} (Prometheus text); null: no metrics endpoint */
    public static PierServer start(ServerOptions options, InferenceService service, java.util.function.Supplier<String> metrics) {
        return start(options, service, metrics, new Drain(), SecurityOptions.none(), router -> { });
    }

    /**
     * The full form: every request is counted by {@code drain} and refused cleanly once it refuses work
     * (graceful shutdown); {@code security} adds bearer-token checks and TLS to both ports; {@code extraRoutes}
     * mounts more REST routes (the repository API, version labels) on the router.
     */
    public static PierServer start(ServerOptions options, InferenceService service, java.util.function.Supplier<String> metrics,
                                   Drain drain, SecurityOptions security, Consumer<Router> extraRoutes) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.eventLoops() + 1));
        List<HttpServer> servers = new ArrayList<>();
        try {
            RestOptions rest = RestOptions.defaults().withMaxBodyBytes(options.maxBodyBytes());
            // Vert.x shares one listening port among servers that ask for the same number, so port 0 is
            // resolved to a free port first; each server then runs on its own event loop.
            int httpPort = options.httpPort() == 0 ? freePort(options.host()) : options.httpPort();
            for (int i = 0; i < options.eventLoops(); i++) {
                Router router = RestApi.router(vertx, service, rest, metrics);
                // first of all routes: decides on the normalized path the router itself matches routes against
                router.route().order(-1).handler(BearerAuthHandler.forRouter(security));
                extraRoutes.accept(router);
                HttpServer http = vertx.createHttpServer(tls(new HttpServerOptions().setHost(options.host())
                                .setTcpNoDelay(true).setCompressionSupported(false), security))
                        .requestHandler(new DrainingHandler(drain, router));
                servers.add(await(http.listen(httpPort, options.host()), "REST", options.host(), httpPort));
            }
            GrpcOptions grpcOptions = new GrpcOptions(options.maxBodyBytes(), RestOptions.DEFAULT_VERSION);
            HttpServer grpc = vertx.createHttpServer(tls(new HttpServerOptions().setHost(options.host()).setTcpNoDelay(true), security))
                    .requestHandler(new DrainingHandler(drain, new BearerAuthHandler(security, GrpcApi.server(vertx, service, grpcOptions))));
            servers.add(await(grpc.listen(options.grpcPort(), options.host()), "gRPC", options.host(), options.grpcPort()));
            return new PierServer(vertx, servers, httpPort, grpc.actualPort());
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /** TLS from PEM files when configured; ALPN offers h2 so gRPC clients get HTTP/2 over TLS. */
    private static HttpServerOptions tls(HttpServerOptions http, SecurityOptions security) {
        if (!security.tls()) {
            return http;
        }
        return http.setSsl(true).setUseAlpn(true).setKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(security.tlsCert().get().toString()).setKeyPath(security.tlsKey().get().toString()));
    }

    private static int freePort(String host) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot find a free port on " + host + ": " + e.getMessage(), e);
        }
    }

    private static HttpServer await(io.vertx.core.Future<HttpServer> listening, String what, String host, int port) {
        try {
            return listening.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IllegalArgumentException("cannot listen for " + what + " on " + host + ":" + port + ": "
                    + (cause.getMessage() != null ? cause.getMessage() : cause) + " (is the port in use? choose another with --"
                    + (what.equals("REST") ? "http" : "grpc") + "-port)", cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out binding " + what + " on " + host + ":" + port, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + what, e);
        }
    }

    public int httpPort() {
        return httpPort;
    }

    public int grpcPort() {
        return grpcPort;
    }

    /** Stops accepting connections and closes Vert.x; responses still in flight are cut (drain first, see {@link Drain}). */
    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            Thread.currentThread().interrupt();
        }
    }
}
