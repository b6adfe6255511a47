package dev.pier.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The trace of one inference request, kept in the request's own Vert.x (duplicated) context so that every
 * callback of that request finds it: the trace id (from the client's {@code traceparent}, or new when Pier
 * exports spans) and, when exporting and the sampler recorded the request, the server span with its children.
 * Without a span (export off, or not sampled) it is only the id, and every step below returns at once. The children are built with explicit
 * times once their end is known: decode (arrival to the core's intake), queue, batch execution (from the
 * serving core's own timings) and encode (the answer to the last byte written). Touched by the request's event
 * loop and by the thread that completes it, one after the other.
 */
public final class RequestTrace {
    static final AttributeKey<String> MODEL = AttributeKey.stringKey("pier.model");
    static final AttributeKey<Long> VERSION = AttributeKey.longKey("pier.model.version");
    private static final String LOCAL_KEY = RequestTrace.class.getName();

    private final Tracing tracing;
    private final String traceId;
    private final Span root; // null when no span is recorded
    private final Context rootContext;
    private final long arrivedNanos; // epoch nanoseconds
    private volatile long intakeNanos;
    private volatile long answeredNanos;
    private volatile String model;
    private volatile long version = -1;

    private RequestTrace(Tracing tracing, String traceId, Span root, long arrivedNanos) {
        this.tracing = tracing;
        this.traceId = traceId;
        this.root = root;
        this.rootContext = root == null ? null : Context.root().with(root);
        this.arrivedNanos = arrivedNanos;
    }

    /** The trace of a request that only carries the caller's trace id (export off): to the logs, nothing else. */
    static RequestTrace idOnly(Tracing tracing, String traceId) {
        return new RequestTrace(tracing, traceId, null, 0);
    }

    /**
     * Begins the exported trace of a request whose W3C context (possibly invalid or absent) is {@code parent}.
     * When the sampler does not record it, the result carries the trace id only (for the logs) and no span.
     */
    static RequestTrace begin(Tracing tracing, Context parent, String name, boolean grpc, String method, String path) {
        long now = now();
        var builder = tracing.tracer()
                .spanBuilder(name)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setStartTimestamp(now, TimeUnit.NANOSECONDS);
        if (grpc) {
            builder.setAttribute("rpc.system", "grpc")
                    .setAttribute("rpc.method", path.substring(path.lastIndexOf('/') + 1))
                    .setAttribute("rpc.service", path.substring(1, Math.max(1, path.lastIndexOf('/'))));
        } else {
            builder.setAttribute("http.request.method", method).setAttribute("url.path", path);
        }
        Span root = builder.startSpan();
        return new RequestTrace(tracing, root.getSpanContext().getTraceId(), root.isRecording() ? root : null, now);
    }

    /**
     * The trace of the request whose callback is running now, or null. Reads the context's local map only if
     * there is one: {@code localContextData()} would create it, an allocation on every untraced request.
     */
    public static RequestTrace current() {
        if (Vertx.currentContext() instanceof ContextInternal ctx && ctx.isDuplicate()) {
            Map<Object, Object> locals = ctx.getLocal(ContextInternal.LOCAL_MAP);
            return locals == null ? null : (RequestTrace) locals.get(LOCAL_KEY);
        }
        return null;
    }

    void attach(ContextInternal ctx) {
        ctx.localContextData().put(LOCAL_KEY, this);
    }

    public String traceId() {
        return traceId;
    }

    /** Whether spans are recorded for this request (export on and sampled). */
    boolean recording() {
        return root != null;
    }

    /** The core takes the decoded request now: decode ends. */
    void intake(String model) {
        if (root == null) {
            return;
        }
        intakeNanos = now();
        this.model = model;
    }

    /** The core answered; {@code queueNanos} and {@code computeNanos} as it measured them (0 when unknown). */
    void answered(String model, long version, long queueNanos, long computeNanos, Throwable failure) {
        if (root == null) {
            return;
        }
        long now = now();
        answeredNanos = now;
        this.model = model;
        this.version = version;
        if (intakeNanos == 0) {
            return;
        }
        child("decode", arrivedNanos, intakeNanos);
        long execStart = Math.max(intakeNanos, now - computeNanos);
        if (computeNanos > 0) {
            child("queue", intakeNanos, execStart);
            child("batch execution", execStart, now);
        } else {
            Span s = child("infer", intakeNanos, now);
            if (failure != null) {
                s.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
            }
        }
        if (failure != null) {
            root.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
        }
    }

    /** The response is written (or the client went away): encode ends and so does the request's span. */
    void finished(int status, boolean closedEarly) {
        if (root == null) {
            return;
        }
        long now = now();
        if (answeredNanos > 0) {
            child("encode", answeredNanos, now);
        }
        if (model != null) {
            root.setAttribute(MODEL, model);
        }
        if (version >= 0) {
            root.setAttribute(VERSION, version);
        }
        if (status > 0) {
            root.setAttribute("http.response.status_code", (long) status);
            if (status >= 500) {
                root.setStatus(StatusCode.ERROR);
            }
        }
        if (closedEarly) {
            root.setAttribute("pier.client_gone", true);
        }
        root.end(now, TimeUnit.NANOSECONDS);
    }

    private Span child(String name, long start, long end) {
        var b = tracing.tracer()
                .spanBuilder(name)
                .setParent(rootContext)
                .setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(start, TimeUnit.NANOSECONDS);
        if (model != null) {
            b.setAttribute(MODEL, model);
        }
        if (version >= 0) {
            b.setAttribute(VERSION, version);
        }
        Span s = b.startSpan();
        s.end(Math.max(start, end), TimeUnit.NANOSECONDS);
        return s;
    }

    private static final long EPOCH_OFFSET =
            TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()) - System.nanoTime();

    /** Epoch nanoseconds on the monotonic clock, so that spans of one request never overlap wrongly. */
    static long now() {
        return System.nanoTime() + EPOCH_OFFSET;
    }
}
