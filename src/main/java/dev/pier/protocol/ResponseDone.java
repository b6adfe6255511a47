package dev.pier.protocol;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs callbacks once a response is finished: ended, or its connection or stream closed first. A Vert.x
 * response has one end handler and one close handler, and every layer that set its own (drain counting,
 * cancelling work of a client that hung up, returning body-budget bytes) would silently replace the others';
 * here each layer adds its callback and all of them run, exactly once. Thread-safe.
 */
public final class ResponseDone {
    private static final Map<HttpServerResponse, ResponseDone> OPEN = new ConcurrentHashMap<>();

    private final List<Handler<Boolean>> callbacks = new ArrayList<>();
    private boolean done;
    private boolean closedFirst;

    private ResponseDone() {}

    /**
     * Calls {@code callback} once when {@code response} ends (argument false) or its connection closes before
     * it ended (true); at once when that already happened.
     */
    public static void on(HttpServerResponse response, Handler<Boolean> callback) {
        ResponseDone hub = OPEN.computeIfAbsent(response, r -> {
            ResponseDone h = new ResponseDone();
            // Vert.x calls the end handler also when the connection closes before the response was written
            // (and before the close handler), so "closed first" is read off the response, not off which ran
            r.endHandler(v -> h.finish(r, r.closed() && !r.ended()));
            // an HTTP/2 stream closes right after its last frame is written, and Vert.x may report that close
            // before the end: it is "closed first" only when the response had not ended
            r.closeHandler(v -> h.finish(r, !r.ended()));
            return h;
        });
        boolean runNow;
        boolean closed;
        synchronized (hub) {
            runNow = hub.done;
            closed = hub.closedFirst;
            if (!runNow) {
                hub.callbacks.add(callback);
            }
        }
        if (runNow) {
            callback.handle(closed);
        } else if (response.ended() || response.closed()) {
            hub.finish(response, response.closed() && !response.ended());
        }
    }

    private void finish(HttpServerResponse response, boolean closed) {
        List<Handler<Boolean>> run;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            closedFirst = closed;
            run = List.copyOf(callbacks);
            callbacks.clear();
        }
        OPEN.remove(response);
        for (Handler<Boolean> h : run) {
            h.handle(closed);
        }
    }
}
