package dev.pier.protocol;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;

/**
 * How request bodies are taken in, shared by every route of a server: the global in-flight budget and how
 * long a body may stall between two chunks. The server puts it in the metadata of each route of its routers once
 * they are built; without it (a bare {@link RestApi} router in tests) bodies are limited per request only.
 *
 * @param budget          bytes of bodies in flight across all connections
 * @param bodyIdleMillis  a body that sends nothing for this long is cut with 408; 0 = no limit
 */
public record Intake(BodyBudget budget, long bodyIdleMillis) {
    public static final String METADATA_KEY = "pier.intake";

    /** The intake of the route handling {@code ctx}; null where the server set none. */
    public static Intake of(RoutingContext ctx) {
        Route route = ctx.currentRoute();
        return route == null ? null : route.getMetadata(METADATA_KEY);
    }
}
