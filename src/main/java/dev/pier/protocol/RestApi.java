package dev.pier.protocol;

import dev.pier.api.InferenceService;
import dev.pier.protocol.kserve.V2Routes;
import dev.pier.protocol.tfserving.TfServingRoutes;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;

/**
 * Entry point for the composition root: one Vert.x router serving KServe V2 REST ({@code /v2/...}) and
 * TF Serving REST ({@code /v1/models/...}) on top of an {@link InferenceService}. Every failure, including
 * unknown routes and wrong methods, answers {@code {"error": "..."}} with the status from {@link ErrorMapper}.
 */
public final class RestApi {
    private RestApi() {}

    public static Router router(Vertx vertx, InferenceService service, RestOptions options) {
        return router(vertx, service, options, null);
    }

    /**
     * @param metrics the body of {@code GET /metrics} (Prometheus text format), produced off the event loop;
     *                null: no metrics endpoint. A plain supplier keeps this layer free of any metrics library.
     */
    public static Router router(Vertx vertx, InferenceService service, RestOptions options, Supplier<String> metrics) {
        Router router = Router.router(vertx);
        if (metrics != null) {
            router.get("/metrics")
                    .handler(ctx -> HttpSupport.offTheEventLoop(
                            ctx,
                            metrics::get,
                            text -> ctx.response()
                                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                                    .end(text)));
        }
        // TF Serving's one prefix route first (a string comparison): the router tries routes in order and each V2
        // route with a path parameter is a regular expression, a Matcher allocated per route tried (4 % of a TF
        // Serving request's allocation came from the six V2 routes before this one)
        new TfServingRoutes(service, options).mount(router);
        new V2Routes(service, options).mount(router);
        router.route().failureHandler(ctx -> {
            Throwable failure = ctx.failure();
            if (failure == null) {
                int status = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
                HttpSupport.json(
                        ctx,
                        status,
                        ErrorMapper.errorJson(reason(
                                status,
                                ctx.request().method().name(),
                                ctx.request().path())));
            } else {
                HttpSupport.error(ctx, failure);
            }
        });
        router.errorHandler(
                404,
                ctx -> HttpSupport.json(
                        ctx,
                        404,
                        ErrorMapper.errorJson(reason(
                                404,
                                ctx.request().method().name(),
                                ctx.request().path()))));
        router.errorHandler(
                405,
                ctx -> HttpSupport.json(
                        ctx,
                        405,
                        ErrorMapper.errorJson(reason(
                                405,
                                ctx.request().method().name(),
                                ctx.request().path()))));
        return router;
    }

    /**
     * For {@code HttpServer.invalidRequestHandler}: requests Vert.x cannot parse (request line or headers over
     * the limits, malformed HTTP) get 414 / 431 / 400 with the JSON error body like every other error, instead
     * of Vert.x's empty answer; the connection is closed, since where the next request starts is unknown.
     */
    public static io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> invalidRequestHandler(
            int maxInitialLineLength, int maxHeaderSize) {
        return request -> {
            Throwable cause = request.decoderResult().cause();
            int status;
            String why;
            if (cause instanceof io.netty.handler.codec.http.TooLongHttpLineException) {
                status = 414;
                why = "request line (method, path and query) longer than " + maxInitialLineLength + " bytes";
            } else if (cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException) {
                status = 431;
                why = "request headers larger than " + maxHeaderSize + " bytes";
            } else {
                status = 400;
                why = "malformed HTTP request"
                        + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage());
            }
            request.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Connection", "close")
                    .end(io.vertx.core.buffer.Buffer.buffer(ErrorMapper.errorJson(why)))
                    .onComplete(v -> request.connection().close());
        };
    }

    private static String reason(int status, String method, String path) {
        return switch (status) {
            case 404 ->
                "no endpoint " + method + " " + path + "; see /v2 (KServe V2) or /v1/models/{model} (TF Serving)";
            case 405 -> "method " + method + " not allowed on " + path;
            default -> "request failed with HTTP status " + status;
        };
    }
}
