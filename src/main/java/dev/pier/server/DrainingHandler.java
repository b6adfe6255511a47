package dev.pier.server;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sits in front of a protocol's request handler (REST router or gRPC server) and implements the network
 * side of a graceful shutdown: it counts every accepted request until its response has ended (or its
 * connection dropped), and once the {@link Drain} refuses work it answers new requests itself with a clean
 * refusal — HTTP 503 + {@code Connection: close} for REST, trailers-only {@code UNAVAILABLE} + GOAWAY for
 * gRPC — so a client never sees a reset for a request the server took. Stateless apart from the drain;
 * runs on event loops.
 */
final class DrainingHandler implements Handler<HttpServerRequest> {
    private static final String REFUSAL = "server is shutting down; retry on another replica";
    private static final int GRPC_UNAVAILABLE = 14;
    private static final String WATCH = "/grpc.health.v1.Health/Watch";

    private final Drain drain;
    private final Handler<HttpServerRequest> next;

    DrainingHandler(Drain drain, Handler<HttpServerRequest> next) {
        this.drain = drain;
        this.next = next;
    }

    @Override
    public void handle(HttpServerRequest request) {
        if (WATCH.equals(request.path())
                && drain.phase() != Drain.Phase.REFUSING
                && drain.phase() != Drain.Phase.CLOSED) {
            next.handle(
                    request); // a health Watch stream lives until the client ends it: not counted, or it would hold the
            // drain
            return;
        }
        if (!drain.enter()) {
            refuse(request);
            return;
        }
        AtomicBoolean counted = new AtomicBoolean(true);
        Handler<Void> done = ignored -> {
            if (counted.getAndSet(false)) {
                drain.exit();
            }
        };
        dev.pier.protocol.ResponseDone.on(request.response(), closed -> done.handle(null));
        try {
            next.handle(request);
        } catch (RuntimeException e) {
            done.handle(null);
            throw e;
        }
    }

    private static void refuse(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        String contentType = request.getHeader("content-type");
        if (contentType != null && contentType.startsWith("application/grpc")) {
            response.putHeader("content-type", "application/grpc")
                    .putHeader("grpc-status", Integer.toString(GRPC_UNAVAILABLE))
                    .putHeader("grpc-message", REFUSAL.replace(' ', '+').replace(';', ','))
                    .end();
            request.connection().shutdown(); // GOAWAY: the client opens its next stream elsewhere
            return;
        }
        // the body may still be arriving: read it away so the connection stays in step, then answer
        boolean http1 = request.version() != HttpVersion.HTTP_2;
        request.handler(chunk -> {}).endHandler(v -> {
            if (response.ended()) {
                return;
            }
            response.setStatusCode(503)
                    .putHeader("content-type", "application/json")
                    .putHeader("Retry-After", "1");
            if (http1) {
                response.putHeader("Connection", "close"); // HTTP/2 forbids this header; it gets GOAWAY instead
            }
            // HTTP/1.x: Vert.x closes the connection once this answer is written (Connection: close). HTTP/2: only
            // this stream is answered; a GOAWAY now would race the client's next stream on the same connection
            // (it sees the connection end without an answer), so the connection stays until the port closes
            // (PierServer.stopAccepting: GOAWAY, then the streams in flight finish)
            response.end("{\"error\":\"" + REFUSAL + "\"}");
        });
    }
}
