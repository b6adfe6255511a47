package dev.pier.protocol;

import dev.pier.api.InvalidInputException;
import dev.pier.protocol.codec.ByteSlice;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Small HTTP helpers shared by the REST protocols: body collection under a size limit, content-type policy,
 * version parsing, JSON/error replies, and completing service stages back on the request's Vert.x context.
 * Stateless; thread-safe.
 */
public final class HttpSupport {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpSupport.class);

    private HttpSupport() {}

    // Header names and values the prediction routes send on every answer, made once as ASCII strings: Vert.x writes
    // those bytes as they are, where a String is checked and encoded again for each response.
    /** Response header naming the model version that answered an inference (weighted routing, rollouts). */
    public static final CharSequence MODEL_VERSION_HEADER =
            io.vertx.core.http.HttpHeaders.createOptimized("Pier-Model-Version");

    public static final CharSequence CONTENT_TYPE = io.vertx.core.http.HttpHeaders.CONTENT_TYPE;
    public static final CharSequence APPLICATION_JSON =
            io.vertx.core.http.HttpHeaders.createOptimized("application/json");
    public static final CharSequence APPLICATION_OCTET_STREAM =
            io.vertx.core.http.HttpHeaders.createOptimized("application/octet-stream");
    /**
     * The id a request was served (and logged) under, for protocols whose body has no id field (TF Serving):
     * taken from the request when the client sends it, echoed in the response.
     */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    /**
     * Reads the whole body (at most {@code maxBytes}, else 413) and then runs {@code next} with it. Replaces
     * Vert.x's BodyHandler so that form content types (what {@code curl -d} sends) stay raw bytes.
     *
     * <p>Memory is bounded twice: a declared {@code Content-Length} over {@code maxBytes} is refused with 413
     * before any byte is read, and every body draws on the server's {@link Intake} budget (all bodies in flight,
     * all connections): a declared length that does not fit is refused at once (503 + Retry-After), and a
     * chunked body is cut the moment it no longer fits or passes {@code maxBytes}. The bytes go back to the
     * budget once {@code next} has decoded them (or the request failed). A body that stalls longer than the
     * body idle timeout is cut with 408.
     */
    public static void withBody(RoutingContext ctx, long maxBytes, Consumer<byte[]> next) {
        withBodySlice(
                ctx,
                maxBytes,
                body -> next.accept(
                        body.offset() == 0 && body.length() == body.array().length
                                ? body.array()
                                : java.util.Arrays.copyOfRange(
                                        body.array(), body.offset(), body.offset() + body.length())));
    }

    /**
     * As {@link #withBody}, but hands the decoders the bytes where the buffer holds them: no copy of the body
     * per request (the prediction routes' hot path).
     */
    public static void withBodySlice(RoutingContext ctx, long maxBytes, Consumer<ByteSlice> next) {
        if (ctx.body() != null && ctx.body().available()) {
            // a BodyHandler mounted in front already read the body (and enforced its own limit)
            Buffer read = ctx.body().buffer();
            next.accept(read == null ? ByteSlice.of(new byte[0]) : BodyRead.slice(read));
            return;
        }
        BodyRead.start(ctx, maxBytes, next);
    }

    /**
     * Rejects clearly wrong content types with 415. JSON, octet-stream (binary tensor extension), text/plain
     * and form-urlencoded ({@code curl -d} without a header) are read as the protocol's body; none means JSON.
     */
    public static void requireJsonOrBinary(HttpServerRequest req) {
        String ct = req.getHeader("Content-Type");
        if (ct == null || ct.isBlank()) {
            return;
        }
        String type = ct.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        boolean ok = type.equals("application/json")
                || type.endsWith("+json")
                || type.equals("application/octet-stream")
                || type.equals("text/plain")
                || type.equals("application/x-www-form-urlencoded")
                || type.equals("*/*");
        if (!ok) {
            throw new ProtocolException(
                    415,
                    "unsupported Content-Type '" + ct + "'; expected application/json"
                            + " (or application/octet-stream with the " + "Inference-Header-Content-Length header)");
        }
    }

    /** Parses a version path segment; {@code null} or empty means "latest". */
    public static OptionalLong version(String text) {
        if (text == null || text.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long v = Long.parseLong(text);
            if (v > 0) {
                return OptionalLong.of(v);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException("model version must be a positive integer, got '" + text + "'");
    }

    /**
     * Runs {@code work} on a worker thread and hands its result to {@code then} back on the request's context, or
     * answers its failure with {@link #error}: for a route whose work can wait (a file or directory read, a large
     * answer serialized) and so must not hold up the event loop's other connections.
     */
    public static <T> void offTheEventLoop(RoutingContext ctx, Callable<T> work, Consumer<T> then) {
        ctx.vertx().executeBlocking(work, false).onComplete(ar -> {
            if (ar.succeeded()) {
                then.accept(ar.result());
            } else {
                error(ctx, ar.cause());
            }
        });
    }

    public static void json(RoutingContext ctx, int status, byte[] body) {
        // wrapped, not copied: every caller hands over a fresh array it no longer touches
        ctx.response()
                .setStatusCode(status)
                .putHeader(CONTENT_TYPE, APPLICATION_JSON)
                .end(BufferInternal.buffer(io.netty.buffer.Unpooled.wrappedBuffer(body)));
    }

    /** How long a refused request may go on sending the body it was refused for before its connection is closed. */
    static final long LINGER_MILLIS = 2_000;

    /**
     * Replies with the mapped status and {@code {"error": ...}}. When the answer comes before the body was
     * read (too large, over the budget, bad content type, unknown model), the rest of the body is read and
     * discarded, never buffered, so the client (still sending) reads a complete answer instead of a reset;
     * a client that keeps sending past {@link #LINGER_MILLIS} has its connection closed.
     */
    public static void error(RoutingContext ctx, Throwable failure) {
        if (ErrorMapper.isClientGone(failure) || ctx.response().closed()) {
            LOG.debug("client went away: {}", String.valueOf(failure));
            return; // nobody to answer
        }
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        int status = ErrorMapper.httpStatus(failure);
        HttpServerRequest req = ctx.request();
        if (!req.isEnded()) {
            req.handler(chunk -> {}).exceptionHandler(e -> {}).resume();
            if (req.version() != io.vertx.core.http.HttpVersion.HTTP_2) {
                long timer = ctx.vertx().setTimer(LINGER_MILLIS, id -> {
                    if (!req.isEnded()) {
                        req.connection().close();
                    }
                });
                req.endHandler(v -> ctx.vertx().cancelTimer(timer));
            }
        }
        if (status == 503) {
            // overload and unloading are transient: tell clients (and proxies) when to come back
            ctx.response().putHeader("Retry-After", "1");
        }
        json(ctx, status, ErrorMapper.errorJson(failure));
    }

    /**
     * Completes a service stage back on the current Vert.x context (the service finishes on its worker
     * threads; responses must be written from the event loop that owns the connection), at once when the stage
     * completed on that event loop itself.
     */
    public static <T> void onContext(RoutingContext ctx, CompletionStage<T> stage, Consumer<T> onSuccess) {
        Context context = Vertx.currentContext();
        // the client hung up before the answer: cancel, so queued work for it is dropped instead of run
        ResponseDone.on(ctx.response(), closed -> {
            if (closed) {
                stage.toCompletableFuture().cancel(false);
            }
        });
        stage.whenComplete((value, failure) -> {
            if (context != null && context.isEventLoopContext() && Vertx.currentContext() == context) {
                // completed on this request's own event loop (the batcher ran a short call inline, or it failed at
                // once): answer now rather than queue a task to this same thread
                answer(ctx, value, failure, onSuccess);
            } else {
                context.runOnContext(v -> answer(ctx, value, failure, onSuccess));
            }
        });
    }

    private static <T> void answer(RoutingContext ctx, T value, Throwable failure, Consumer<T> onSuccess) {
        if (ctx.response().closed()) {
            return; // nobody left to answer
        }
        if (failure != null) {
            error(ctx, failure);
            return;
        }
        try {
            onSuccess.accept(value);
        } catch (RuntimeException e) {
            error(ctx, e);
        }
    }
}
