package dev.pier.server;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.stream.Collectors;

/**
 * Mounts CORS on a REST router, ahead of authentication: a browser's preflight ({@code OPTIONS} with
 * {@code Access-Control-Request-Method}) carries no credentials by the Fetch standard, so it is answered
 * (204 with the allowed methods and headers) before any token check. A request from an origin not on the list
 * gets 403 with a JSON error and no {@code Access-Control-Allow-Origin}, so nothing runs and the browser hands
 * nothing to the calling page. Same-origin requests (Pier's own dashboard and API page) pass untouched.
 * Stateless apart from the options; one handler per router.
 */
final class CorsRoutes {
    /** Route order: before the bearer-token check (-2) and the intake (-1). */
    static final int ORDER = -3;

    private CorsRoutes() {}

    static void mount(Router router, CorsOptions options) {
        if (!options.enabled()) {
            return;
        }
        CorsHandler cors = CorsHandler.create()
                .allowedMethods(options.allowedMethods().stream()
                        .map(HttpMethod::valueOf)
                        .collect(Collectors.toSet()))
                .allowedHeaders(options.allowedHeaders())
                .exposedHeaders(java.util.Set.of("Inference-Header-Content-Length", "traceparent"))
                .maxAgeSeconds(600);
        if (!options.anyOrigin()) {
            cors.addOrigins(options.allowedOrigins());
        }
        router.route().order(ORDER).handler(ctx -> {
            String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
            if (origin == null || sameOrigin(ctx, origin)) {
                ctx.next(); // not a cross-origin request: CORS has nothing to say (Pier's own pages post too)
            } else if (options.anyOrigin() || options.allowedOrigins().contains(origin)) {
                cors.handle(ctx);
            } else {
                ctx.response()
                        .setStatusCode(403)
                        .putHeader(HttpHeaders.VARY, "Origin")
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end(new JsonObject()
                                .put(
                                        "error",
                                        "origin '" + origin + "' may not call this server from a browser;"
                                                + " allowed origins: " + String.join(", ", options.allowedOrigins())
                                                + " (pier serve --cors-allowed-origins)")
                                .encode());
            }
        });
    }

    /** The page's origin is this server's own (scheme and Host header as the browser addressed it). */
    private static boolean sameOrigin(RoutingContext ctx, String origin) {
        String host = ctx.request().getHeader(HttpHeaders.HOST);
        return host != null && origin.equalsIgnoreCase(ctx.request().scheme() + "://" + host);
    }
}
