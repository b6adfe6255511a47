package dev.pier.server;

import dev.pier.protocol.ErrorMapper;
import dev.pier.protocol.ResponseDone;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slow and greedy clients, per connection, for every server of one process (both ports): a connection must
 * deliver complete request headers within the header timeout of opening (slowloris), and one with no
 * request in progress is closed after the keep-alive timeout (HTTP/2: GOAWAY). Past the open-connection cap a
 * connection is still accepted long enough to answer: its health checks are served (so probes keep working
 * while a client hoards connections) and anything else gets 503 naming the limit (gRPC UNAVAILABLE), then it
 * is closed; it gets a short header timeout. Timers run on each connection's own event loop, so the state of
 * one connection is only touched from that thread; the count is shared.
 */
final class ConnectionGuard {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    private static final long OVER_CAP_HEADER_MILLIS = 1_000;
    private static final int GRPC_UNAVAILABLE = 14;
    private static final Set<String> HEALTH = Set.of(
            "/v2/health/live",
            "/v2/health/ready",
            "/grpc.health.v1.Health/Check",
            "/inference.GRPCInferenceService/ServerLive",
            "/inference.GRPCInferenceService/ServerReady");

    private final Vertx vertx;
    private final IntakeLimits limits;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<HttpConnection, State> states = new ConcurrentHashMap<>();

    /**
     * One connection's bookkeeping; touched only on its event loop. The connection has at most one timer, and
     * requests never set or cancel it: a request's end only moves the idle deadline (a timer per request cost
     * 6 % of a small request's CPU, docs/benchmarks.md "Hot path profile"). The timer, when it fires, closes the
     * connection if its deadline passed, waits again for the rest if the deadline moved, and lapses while a
     * request is in progress (the request's end arms a new one).
     */
    private static final class State {
        final boolean overCap;
        long timer = -1;
        /** When an idle connection is closed (System.nanoTime); 0 while a request is in progress. */
        long deadline;

        String why;
        long timeoutMillis;
        int active;
        boolean closed;

        State(boolean overCap) {
            this.overCap = overCap;
        }
    }

    ConnectionGuard(Vertx vertx, IntakeLimits limits) {
        this.vertx = vertx;
        this.limits = limits;
    }

    int openConnections() {
        return open.get();
    }

    /** For {@code HttpServer.connectionHandler}. */
    Handler<HttpConnection> onConnection() {
        return conn -> {
            int n = open.incrementAndGet();
            State state = new State(n > limits.maxConnections());
            if (state.overCap) {
                LOG.debug(
                        "connection {} over the cap of {} open connections",
                        conn.remoteAddress(),
                        limits.maxConnections());
            }
            states.put(conn, state);
            conn.closeHandler(v -> {
                open.decrementAndGet();
                states.remove(conn);
                state.closed = true;
                if (state.timer >= 0) {
                    vertx.cancelTimer(state.timer);
                    state.timer = -1;
                }
            });
            idleFrom(
                    conn,
                    state,
                    state.overCap
                            ? Math.min(
                                    OVER_CAP_HEADER_MILLIS,
                                    limits.headerTimeout().toMillis())
                            : limits.headerTimeout().toMillis(),
                    "no complete request headers");
        };
    }

    /** Wraps a server's request handler: stops the connection's timers while a request is in progress. */
    Handler<HttpServerRequest> guard(Handler<HttpServerRequest> next) {
        return request -> {
            HttpConnection conn = request.connection();
            State state = states.get(conn);
            if (state == null) {
                next.handle(request);
                return;
            }
            state.active++;
            state.deadline = 0;
            ResponseDone.on(request.response(), closed -> {
                state.active--;
                if (state.active == 0 && !state.closed) {
                    idleFrom(conn, state, limits.keepAliveTimeout().toMillis(), "idle keep-alive");
                }
            });
            if (state.overCap && !HEALTH.contains(request.path())) {
                refuse(request);
                return;
            }
            next.handle(request);
        };
    }

    /** The connection is idle from now: closed after {@code millis} unless a request starts before. */
    private void idleFrom(HttpConnection conn, State state, long millis, String why) {
        state.deadline = System.nanoTime() + millis * 1_000_000L;
        state.why = why;
        state.timeoutMillis = millis;
        if (state.timer < 0) {
            schedule(conn, state, millis);
        }
    }

    private void schedule(HttpConnection conn, State state, long millis) {
        state.timer = vertx.setTimer(Math.max(1, millis), id -> {
            state.timer = -1;
            if (state.active > 0 || state.closed || state.deadline == 0) {
                return; // in use: the end of the request in progress arms the next timer
            }
            long left = state.deadline - System.nanoTime();
            if (left > 0) {
                schedule(conn, state, (left + 999_999) / 1_000_000); // used since: wait for the rest
                return;
            }
            LOG.debug(
                    "closing connection from {}: {} within {} ms",
                    conn.remoteAddress(),
                    state.why,
                    state.timeoutMillis);
            // HTTP/1.x with no request in progress: closed at once; HTTP/2: GOAWAY, and a client between calls
            // reconnects when it needs to
            conn.shutdown();
        });
    }

    private void refuse(HttpServerRequest request) {
        String why =
                "too many open connections (limit " + limits.maxConnections() + ", --max-connections); retry shortly";
        String contentType = request.getHeader("content-type");
        if (contentType != null && contentType.startsWith("application/grpc")) {
            request.response()
                    .putHeader("content-type", "application/grpc")
                    .putHeader("grpc-status", Integer.toString(GRPC_UNAVAILABLE))
                    .putHeader("grpc-message", why.replace(' ', '+').replace(';', ','))
                    .end();
            request.connection().shutdown();
            return;
        }
        boolean http1 = request.version() != HttpVersion.HTTP_2;
        request.handler(chunk -> {}).endHandler(v -> {
            if (request.response().ended()) {
                return;
            }
            request.response()
                    .setStatusCode(503)
                    .putHeader("content-type", "application/json")
                    .putHeader("Retry-After", "1");
            if (http1) {
                request.response().putHeader("Connection", "close");
            }
            request.response().end(Buffer.buffer(ErrorMapper.errorJson(why)));
        });
        request.resume();
    }
}
