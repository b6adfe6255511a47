package dev.pier.tracing;

import dev.pier.protocol.ResponseDone;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.ContextInternal;
import org.slf4j.MDC;

/**
 * In front of a port's request handler: for inference requests (KServe V2 and TF Serving, REST and gRPC) reads
 * the W3C trace context from the headers ({@code traceparent}, {@code tracestate}; gRPC metadata are HTTP/2
 * headers) and begins the request's {@link RequestTrace}; ends it when the response is written. Other requests
 * (health, metrics, metadata) pass untouched. With export off and no {@code traceparent} this is one header
 * lookup. Stateless apart from the tracing it shares.
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

    private final Tracing tracing;
    private final Handler<HttpServerRequest> next;

    public TracingHttpHandler(Tracing tracing, Handler<HttpServerRequest> next) {
        this.tracing = tracing;
        this.next = next;
    }

    @Override
    public void handle(HttpServerRequest request) {
        if ((!tracing.exporting() && request.getHeader("traceparent") == null) || !isInference(request.path())
                || !(Vertx.currentContext() instanceof ContextInternal ctx) || !ctx.isDuplicate()) {
            next.handle(request);
            return;
        }
        Context parent = Tracing.propagator().extract(Context.root(), request, HEADERS);
        boolean grpc = isGrpc(request);
        RequestTrace trace = RequestTrace.begin(tracing, parent, grpc ? request.path().substring(1)
                : request.method().name() + " " + route(request.path()), grpc, request.method().name(), request.path());
        if (trace == null) {
            next.handle(request);
            return;
        }
        trace.attach(ctx);
        ResponseDone.on(request.response(), closed -> trace.finished(request.response().getStatusCode(), closed));
        MDC.put(TraceIdConverter.MDC_KEY, trace.traceId());
        try {
            next.handle(request);
        } finally {
            MDC.remove(TraceIdConverter.MDC_KEY);
        }
    }

    static boolean isInference(String path) {
        return path != null && (path.endsWith("/infer") || path.contains(":predict") || path.contains(":classify")
                || path.contains(":regress") || path.endsWith("/ModelInfer") || path.endsWith("/Predict")
                || path.endsWith("/Classify") || path.endsWith("/Regress") || path.endsWith("/MultiInference"));
    }

    private static boolean isGrpc(HttpServerRequest request) {
        String type = request.getHeader("content-type");
        return type != null && type.startsWith("application/grpc");
    }

    /** The route template of a REST inference path: the span name stays one per route, not one per model. */
    static String route(String path) {
        if (path.startsWith("/v2/models/")) {
            return path.contains("/versions/") ? "/v2/models/{model}/versions/{version}/infer" : "/v2/models/{model}/infer";
        }
        if (path.startsWith("/v1/models/")) {
            String verb = path.substring(path.lastIndexOf(':'));
            return (path.contains("/versions/") ? "/v1/models/{model}/versions/{version}" : path.contains("/labels/")
                    ? "/v1/models/{model}/labels/{label}" : "/v1/models/{model}") + verb;
        }
        return path;
    }
}
