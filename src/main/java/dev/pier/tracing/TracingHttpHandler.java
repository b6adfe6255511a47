package dev.pier.tracing;

import dev.pier.protocol.ResponseDone;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.ContextInternal;

/**
 * In front of a port's request handler: for inference requests (KServe V2 and TF Serving, REST and gRPC) reads
 * the W3C trace context from the headers ({@code traceparent}, {@code tracestate}; gRPC metadata are HTTP/2
 * headers) and begins the request's {@link RequestTrace}; ends it when the response is written. Other requests
 * (health, metrics, metadata) pass untouched. With export off and no {@code traceparent} this is one header
 * lookup and nothing else; with export off and a {@code traceparent}, the id is read off the header (no
 * OpenTelemetry context is built) for the logs and the prediction log. Stateless apart from the tracing it shares.
 */
public final class TracingHttpHandler implements Handler<HttpServerRequest> {
    private static final TextMapGetter<HttpServerRequest> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServerRequest carrier) {
            return carrier.headers().names();
        }

        @Override
        public String get(HttpServerRequest carrier, String key) {
            return carrier == null ? null : carrier.getHeader(key);
        }
    };

    private static final CharSequence TRACEPARENT = HttpHeaders.createOptimized("traceparent");

    private final Tracing tracing;
    private final Handler<HttpServerRequest> next;

    public TracingHttpHandler(Tracing tracing, Handler<HttpServerRequest> next) {
        this.tracing = tracing;
        this.next = next;
    }

    @Override
    public void handle(HttpServerRequest request) {
        String traceparent = request.getHeader(TRACEPARENT);
        if (traceparent == null && !tracing.exporting()) {
            next.handle(request); // the path of every request while tracing is off: this one header lookup
            return;
        }
        if (!isInference(request.path())
                || !(Vertx.currentContext() instanceof ContextInternal ctx)
                || !ctx.isDuplicate()) {
            next.handle(request);
            return;
        }
        RequestTrace trace;
        if (tracing.exporting()) {
            Context parent = Tracing.propagator().extract(Context.root(), request, HEADERS);
            boolean grpc = isGrpc(request);
            trace = RequestTrace.begin(
                    tracing,
                    parent,
                    grpc ? request.path().substring(1) : request.method().name() + " " + route(request.path()),
                    grpc,
                    request.method().name(),
                    request.path());
        } else {
            String traceId = traceIdOf(traceparent);
            trace = traceId == null ? null : RequestTrace.idOnly(tracing, traceId);
        }
        if (trace == null) {
            next.handle(request);
            return;
        }
        // log lines of this request's event-loop callbacks find the trace through the context (TraceIdConverter)
        trace.attach(ctx);
        if (trace.recording()) {
            HttpServerResponse response = request.response();
            // "closed" alone is not "the client left": a gRPC unary call's HTTP/2 stream closes inside the
            // write of its trailers, and Vert.x reports that close before the response's end; only a close
            // before the response was written means the client went away
            ResponseDone.on(response, closed -> trace.finished(response.getStatusCode(), closed && !response.ended()));
        }
        next.handle(request);
    }

    /**
     * The trace id of a W3C {@code traceparent} ({@code version-traceid-parentid-flags}, lower-case hex), or null
     * when the header is malformed or carries the all-zero (invalid) id; later versions may append fields.
     */
    static String traceIdOf(String traceparent) {
        if (traceparent == null
                || traceparent.length() < 55
                || traceparent.charAt(2) != '-'
                || traceparent.charAt(35) != '-'
                || traceparent.charAt(52) != '-'
                || (traceparent.length() > 55 && traceparent.charAt(55) != '-')
                || traceparent.startsWith("ff")
                || (traceparent.startsWith("00") && traceparent.length() != 55)) {
            return null;
        }
        boolean traceNonZero = false;
        boolean parentNonZero = false;
        for (int i = 0; i < 55; i++) {
            if (i == 2 || i == 35 || i == 52) {
                continue;
            }
            char c = traceparent.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return null;
            }
            traceNonZero |= i > 2 && i < 35 && c != '0';
            parentNonZero |= i > 35 && i < 52 && c != '0';
        }
        return traceNonZero && parentNonZero ? traceparent.substring(3, 35) : null;
    }

    static boolean isInference(String path) {
        return path != null
                && (path.endsWith("/infer")
                        || path.contains(":predict")
                        || path.contains(":classify")
                        || path.contains(":regress")
                        || path.endsWith("/ModelInfer")
                        || path.endsWith("/Predict")
                        || path.endsWith("/Classify")
                        || path.endsWith("/Regress")
                        || path.endsWith("/MultiInference"));
    }

    private static boolean isGrpc(HttpServerRequest request) {
        String type = request.getHeader("content-type");
        return type != null && type.startsWith("application/grpc");
    }

    /** The route template of a REST inference path: the span name stays one per route, not one per model. */
    static String route(String path) {
        if (path.startsWith("/v2/models/")) {
            return path.contains("/versions/")
                    ? "/v2/models/{model}/versions/{version}/infer"
                    : "/v2/models/{model}/infer";
        }
        if (path.startsWith("/v1/models/")) {
            String verb = path.substring(path.lastIndexOf(':'));
            return (path.contains("/versions/")
                            ? "/v1/models/{model}/versions/{version}"
                            : path.contains("/labels/") ? "/v1/models/{model}/labels/{label}" : "/v1/models/{model}")
                    + verb;
        }
        return path;
    }
}
