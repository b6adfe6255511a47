package dev.pier.bench;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HTTP/1.1 keep-alive load over a Vert.x {@link HttpClientAgent}. Vert.x rather than the JDK HttpClient
 * because a request and its answer are handled on one event loop with no hand-off: the JDK client's
 * {@code sendAsync} passes every answer from its selector thread to an executor through a chain of
 * CompletableFutures, which on a 2-core machine is client CPU taken from the server under test. Bodies are
 * wrapped once in Buffers and headers built once. Thread-safe.
 */
public final class HttpTransport implements Transport {
    private final HttpClientAgent client;
    private final List<Buffer> bodies = new ArrayList<>();
    private final List<RequestOptions> options = new ArrayList<>();

    public HttpTransport(
            Vertx vertx, String host, int port, HttpBodies prepared, int maxConnections, Duration timeout) {
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setConnectTimeout((int)
                        Math.min(Integer.MAX_VALUE, timeout.toMillis())),
                new PoolOptions().setHttp1MaxSize(maxConnections).setMaxWaitQueueSize(-1));
        for (int i = 0; i < prepared.bodies().size(); i++) {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap();
            for (Map.Entry<String, String> h : prepared.headers().get(i).entrySet()) {
                headers.add(h.getKey(), h.getValue());
            }
            headers.add(
                    HttpHeaders.CONTENT_LENGTH,
                    Integer.toString(prepared.bodies().get(i).length));
            options.add(new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setHost(host)
                    .setPort(port)
                    .setURI(prepared.path())
                    .setHeaders(headers)
                    .setIdleTimeout(timeout.toMillis()));
            bodies.add(Buffer.buffer(prepared.bodies().get(i)));
        }
    }

    @Override
    public Future<Void> send(int index) {
        int i = Math.floorMod(index, bodies.size());
        // The body handler is attached inside the callback that receives the response, never in a
        // .compose chained from the calling thread: the open loop calls send() from its scheduler thread,
        // and when that thread registered the response callback only after the response had arrived, Vert.x
        // posted the callback to the event loop, which had meanwhile delivered the body and its end to a
        // response with no handler. body() then never completed, and as the stream had ended no idle timeout
        // fired either: the request showed up as unanswered_at_step_end although the server had answered.
        return client.request(options.get(i))
                .compose(req -> req.send(bodies.get(i)).compose(HttpTransport::readAnswer));
    }

    /** Reads the whole answer; runs on the connection's context, in the task that delivered the response. */
    private static Future<Void> readAnswer(HttpClientResponse resp) {
        int status = resp.statusCode();
        return resp.body()
                .compose(b -> status / 100 == 2
                        ? Future.<Void>succeededFuture()
                        : Future.<Void>failedFuture(new ErrorKinds.HttpStatusException(status)));
    }

    @Override
    public void close() {
        client.close().toCompletionStage().toCompletableFuture().join();
    }
}
