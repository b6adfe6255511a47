package dev.pier.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The trace of one inference request, kept in the request's own Vert.x (duplicated) context so that every
 * callback of that request finds it: the trace id (from the client's {@code traceparent}, or new when Pier
 * exports spans) and, when exporting and the sampler recorded the request, the server span with its children.
 * Without a span (export off, or not sampled) it is only the id, and every step below returns at once. The children are built with explicit
 * times once their end is known: decode (arrival to the core's intake), queue, batch execution (from the
 * serving core's own timings) and encode (the answer to the last byte written). The root ends when both the
 * core's answer ({@link #answered}, on the thread that completes the request) and the response's end
 * ({@link #finished}, on the event loop) are known, in whichever order the two threads report them (a
 * client that leaves, a deadline the protocol answers itself, or a close callback that runs before the
 * completion callback). Thread-safe without locks.
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
    private volatile long intakeNanos; // 0 until the core took the request
    private volatile String model;
    private volatile long version = -1;
    // the two events that end the root, from two threads in either order: the one that sets the second bit
    // in `events` ends it (no lock: the event loop never waits here)
    private static final int ANSWERED = 1;
    private static final int DONE = 2;
    private static final VarHandle EVENTS;
    private volatile int events;
    private volatile Answer answer;
    private volatile Done done;

    static {
        try {
            EVENTS = MethodHandles.lookup().findVarHandle(RequestTrace.class, "events", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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

    /** The core takes the decoded request now: decode ends. Runs on the request's event loop. */
    void intake(String model) {
        if (root == null) {
            return;
        }
        this.model = model;
        intakeNanos = now();
    }

    /**
     * The core answered (or failed); {@code computeNanos} as it measured it (0 when unknown; the queue is the
     * rest of the time since intake, so {@code queueNanos} is not needed). Runs on the thread that completed
     * the request (the core's), before or after {@link #finished}.
     */
    void answered(String model, long version, long queueNanos, long computeNanos, Throwable failure) {
        if (root == null) {
            return;
        }
        Answer a = new Answer(now(), model, version, computeNanos, failure);
        answer = a; // published to the other event's thread by the bitwise-or below
        int before = (int) EVENTS.getAndBitwiseOr(this, ANSWERED);
        if ((before & ANSWERED) == 0 && (before & DONE) != 0) {
            end(a, done);
        }
    }

    /**
     * The response is done: written ({@code clientGone} false), or the connection or stream closed before it
     * was ({@code clientGone} true). Runs on the request's event loop, before or after {@link #answered}. The
     * root waits for the answer unless none will come to it: the client left (the work may be abandoned and
     * its answer never arrive) or the core never took the request (refused while decoding).
     */
    void finished(int status, boolean clientGone) {
        if (root == null) {
            return;
        }
        Done d = new Done(now(), status, clientGone);
        done = d;
        boolean awaitAnswer = !clientGone && intakeNanos != 0;
        // not awaiting: the answer's bit is set too, so that an answer arriving later finds the trace closed
        int before = (int) EVENTS.getAndBitwiseOr(this, awaitAnswer ? DONE : DONE | ANSWERED);
        if ((before & DONE) != 0) {
            return; // reported twice
        }
        if ((before & ANSWERED) != 0) {
            end(answer, d);
        } else if (!awaitAnswer) {
            end(null, d);
        }
    }

    /**
     * Builds the stages and ends the root, from the one thread that saw the second of the two events (or the
     * response's end when no answer will be waited for): exactly once per request. {@code a} is null when the
     * root ended without the answer.
     */
    private void end(Answer a, Done d) {
        if (a != null) {
            model = a.model();
            version = a.version();
        }
        long intake = intakeNanos;
        if (intake != 0) {
            child("decode", arrivedNanos, intake);
        }
        long endNanos = d.nanos();
        if (a != null && intake != 0) {
            long execStart = Math.max(intake, a.nanos() - a.computeNanos());
            if (a.computeNanos() > 0) {
                child("queue", intake, execStart);
                child("batch execution", execStart, a.nanos());
            } else {
                // an ended span takes no status: the failure goes in before it ends
                child("infer", intake, a.nanos(), a.failure());
            }
            if (!d.clientGone()) {
                // the answer to the response's last byte; empty when the response's end was reported first
                child("encode", a.nanos(), Math.max(a.nanos(), d.nanos()));
            }
            endNanos = Math.max(endNanos, a.nanos());
        }
        if (model != null) {
            root.setAttribute(MODEL, model);
        }
        if (version >= 0) {
            root.setAttribute(VERSION, version);
        }
        if (d.clientGone()) {
            root.setAttribute("pier.client_gone", true);
        } else if (d.status() > 0) {
            root.setAttribute("http.response.status_code", (long) d.status());
        }
        if (a != null && a.failure() != null) {
            root.setStatus(StatusCode.ERROR, String.valueOf(a.failure().getMessage()));
        } else if (!d.clientGone() && d.status() >= 500) {
            root.setStatus(StatusCode.ERROR);
        }
        root.end(endNanos, TimeUnit.NANOSECONDS);
    }

    /** What the core answered, and when. */
    private record Answer(long nanos, String model, long version, long computeNanos, Throwable failure) {}

    /** How the response ended, and when. */
    private record Done(long nanos, int status, boolean clientGone) {}

    private void child(String name, long start, long end) {
        child(name, start, end, null);
    }

    private void child(String name, long start, long end, Throwable failure) {
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
        if (failure != null) {
            s.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
        }
        s.end(Math.max(start, end), TimeUnit.NANOSECONDS);
    }

    private static final long EPOCH_OFFSET =
            TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()) - System.nanoTime();

    /** Epoch nanoseconds on the monotonic clock, so that spans of one request never overlap wrongly. */
    static long now() {
        return System.nanoTime() + EPOCH_OFFSET;
    }
}
