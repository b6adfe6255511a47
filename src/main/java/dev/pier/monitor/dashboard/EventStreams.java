package dev.pier.monitor.dashboard;

import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open server-sent-event streams of the dashboard ({@code text/event-stream}, one {@code data:} line of
 * JSON per snapshot). Events are written on each stream's own event loop; a client that does not keep up
 * (full write queue) skips events rather than being buffered without bound, so nothing ever blocks. A stream
 * is dropped at the first publish after its client went, and ended at {@link #close()} (graceful shutdown: an open stream would otherwise count
 * as a request in flight and hold the drain). Thread-safe.
 */
final class EventStreams implements AutoCloseable {
    private record Client(Context context, HttpServerResponse response) {}

    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** Answers {@code ctx} with an event stream, starting with {@code first} (may be null). Event loop only. */
    void open(RoutingContext ctx, String first) {
        HttpServerResponse response = ctx.response();
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Accel-Buffering", "no"); // proxies such as nginx would otherwise hold the events back
        if (closed) {
            response.end();
            return;
        }
        Client client = new Client(ctx.vertx().getOrCreateContext(), response);
        // no closeHandler of our own: it would replace the one that counts this request out of the drain;
        // a client that went away is noticed at the next publish instead (closed response or failed write)
        clients.add(client);
        response.write("retry: 2000\n\n"); // EventSource reconnects after 2 s when the stream drops
        if (first != null) {
            response.write(event(first));
        }
        if (closed) { // close() ran between the check above and the add: it may have missed this client
            end(client);
        }
    }

    /** Sends one JSON document to every stream. Any thread. */
    void publish(String json) {
        String event = event(json);
        for (Client c : clients) {
            c.context().runOnContext(v -> {
                HttpServerResponse r = c.response();
                if (r.ended() || r.closed()) {
                    clients.remove(c);
                } else if (!r.writeQueueFull()) {
                    r.write(event).onFailure(e -> clients.remove(c));
                }
            });
        }
    }

    int size() {
        return clients.size();
    }

    /** Ends every stream and answers later ones with an empty, ended stream. */
    @Override
    public void close() {
        closed = true;
        for (Client c : clients) {
            end(c);
        }
    }

    private void end(Client c) {
        clients.remove(c);
        c.context().runOnContext(v -> {
            if (!c.response().ended() && !c.response().closed()) {
                c.response().end();
            }
        });
    }

    private static String event(String json) {
        return "data: " + json + "\n\n";
    }
}
