package dev.pier.protocol;

import dev.pier.api.InvalidInputException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import dev.pier.protocol.codec.ByteSlice;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Small HTTP helpers shared by the REST protocols: body collection under a size limit, content-type policy,
 * version parsing, JSON/error replies, and completing service stages back on the request's Vert.x context.
 * Stateless; thread-safe.
 */
public final class HttpSupport {
    private static final String BODY_KEY = "pier.body";

    private HttpSupport() {
    }

    /** Response header naming the model version that answered an inference (weighted routing, rollouts). */
    public static final String MODEL_VERSION_HEADER = "Pier-Model-Version";
    /**
     * The id a request was served (and logged) under, for protocols whose body has no id field (TF Serving):
     * taken from the request when the client sends it, echoed in the response.
     */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    /**
     * Reads the whole body (at most {@code maxBytes}, else 413) and then runs {@code next} with it. Replaces
     * Vert.x's BodyHandler so that form content types (what {@code curl -d} sends) stay raw bytes.
     */
    public static void withBody(RoutingContext ctx, long maxBytes, Consumer<byte[]> next) {
        withBodySlice(ctx, maxBytes, body -> next.accept(body.offset() == 0 && body.length() == body.array().length
                ? body.array() : java.util.Arrays.copyOfRange(body.array(), body.offset(), body.offset() + body.length())));
    }

    /**
     * As {@link #withBody}, but hands the decoders the bytes where the buffer holds them: no copy of the body
     * per request (the prediction routes' hot path).
     */
    public static void withBodySlice(RoutingContext ctx, long maxBytes, Consumer<ByteSlice> next) {
        if (ctx.body() != null && ctx.body().available()) {
            // a BodyHandler mounted in front already read the body (and enforced its own limit)
            Buffer read = ctx.body().buffer();
            next.accept(read == null ? ByteSlice.of(new byte[0]) : slice(read));
            return;
        }
        HttpServerRequest req = ctx.request();
        String declared = req.getHeader("Content-Length");
        if (declared != null) {
            long n;
            try {
                n = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n > maxBytes) {
                ctx.fail(tooLarge(maxBytes, "Content-Length " + n));
                return;
            }
        }
        // A body that arrives in one chunk (up to the server's chunk size, 8 KiB by default) is decoded from that
        // chunk's own buffer; only a second chunk starts a buffer that gathers them: one copy fewer per request.
        int capacity = declared == null ? 4096 : (int) Math.min(maxBytes, parseOr(declared, 4096));
        Buffer[] body = {null};
        boolean[] gathering = {false};
        boolean[] failed = {false};
        req.handler(chunk -> {
            if (failed[0]) {
                return;
            }
            long received = body[0] == null ? 0 : body[0].length();
            if (received + chunk.length() > maxBytes) {
                failed[0] = true;
                ctx.fail(tooLarge(maxBytes, "more than " + maxBytes + " bytes"));
                return;
            }
            if (body[0] == null) {
                body[0] = chunk;
            } else {
                if (!gathering[0]) {
                    Buffer first = body[0];
                    body[0] = Buffer.buffer((int) Math.max(capacity, received + chunk.length()));
                    body[0].appendBuffer(first);
                    gathering[0] = true;
                }
                body[0].appendBuffer(chunk);
            }
        });
        req.exceptionHandler(e -> {
            if (!failed[0]) {
                failed[0] = true;
                ctx.fail(e);
            }
        });
        req.endHandler(v -> {
            if (!failed[0]) {
                try {
                    next.accept(body[0] == null ? ByteSlice.of(new byte[0]) : slice(body[0]));
                } catch (RuntimeException e) {
                    ctx.fail(e);
                }
            }
        });
        req.resume();
    }

    /** The buffer's readable bytes as a slice of its backing array (a copy only for a buffer without one). */
    private static ByteSlice slice(Buffer buffer) {
        if (buffer instanceof BufferInternal internal) {
            io.netty.buffer.ByteBuf buf = internal.getByteBuf();
            if (buf.hasArray()) {
                return new ByteSlice(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
            }
        }
        return ByteSlice.of(buffer.getBytes());
    }

    private static long parseOr(String s, long fallback) {
        try {
            return Math.max(0, Long.parseLong(s.trim()));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static ProtocolException tooLarge(long max, String sent) {
        return new ProtocolException(413, "request body too large: the limit is " + max + " bytes, got " + sent);
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
        boolean ok = type.equals("application/json") || type.endsWith("+json")
                || type.equals("application/octet-stream") || type.equals("text/plain")
                || type.equals("application/x-www-form-urlencoded") || type.equals("*/*");
        if (!ok) {
            throw new ProtocolException(415, "unsupported Content-Type '" + ct + "'; expected application/json"
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

    public static void json(RoutingContext ctx, int status, byte[] body) {
        // wrapped, not copied: every caller hands over a fresh array it no longer touches
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(BufferInternal.buffer(io.netty.buffer.Unpooled.wrappedBuffer(body)));
    }

    /** Replies with the mapped status and {@code {"error": ...}}. */
    public static void error(RoutingContext ctx, Throwable failure) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        int status = ErrorMapper.httpStatus(failure);
        if (status == 413 && ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
            // HTTP/1.x: the rest of the oversized body will not be read, so the connection cannot be reused
            // (HTTP/2 forbids this header; there the stream is simply ended)
            ctx.response().putHeader("Connection", "close");
        } else if (!ctx.request().isEnded()) {
            // answered before the body was read (bad content type, unknown model): drain it so the
            // keep-alive connection stays usable for the next request
            ctx.request().handler(chunk -> { }).resume();
        }
        if (status == 503) {
            // overload and unloading are transient: tell clients (and proxies) when to come back
            ctx.response().putHeader("Retry-After", "1");
        }
        json(ctx, status, ErrorMapper.errorJson(failure));
    }

    /**
     * Completes a service stage back on the current Vert.x context (the service finishes on its worker
     * threads; responses must be written from the event loop that owns the connection).
     */
    public static <T> void onContext(RoutingContext ctx, CompletionStage<T> stage, Consumer<T> onSuccess) {
        Context context = Vertx.currentContext();
        // the client hung up before the answer: cancel, so queued work for it is dropped instead of run
        ctx.response().closeHandler(v -> stage.toCompletableFuture().cancel(false));
        stage.whenComplete((value, failure) -> context.runOnContext(v -> {
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
        }));
    }
}
