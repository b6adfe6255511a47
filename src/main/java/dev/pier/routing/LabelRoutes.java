package dev.pier.routing;

import dev.pier.api.PierException;
import dev.pier.protocol.HttpSupport;
import dev.pier.serving.ServingCore;
import dev.pier.serving.VersionResolver;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * TF Serving's version labels over REST: {@code /v1/models/M/labels/L} (status, metadata, {@code :predict},
 * {@code :classify}, {@code :regress}) is re-routed to {@code /v1/models/M/versions/N...}, where N comes from
 * the {@code version_labels} of the model's config.yaml (read from its newest loaded version, so a label
 * change rolls out with the config; from the source's config while nothing is loaded). An unknown label is 404 naming the labels there are. Stateless.
 */
public final class LabelRoutes {
    private final ServingCore core;

    public LabelRoutes(ServingCore core) {
        this.core = core;
    }

    public void mount(Router router) {
        // ordered before the TF Serving routes so that they only ever see numeric versions
        router.routeWithRegex("/v1/models/([^/:]+)/labels/([^/:]+)(.*)")
                .order(-1)
                .handler(this::reroute);
    }

    private void reroute(RoutingContext ctx) {
        String model = ctx.pathParam("param0");
        String label = ctx.pathParam("param1");
        String rest = ctx.pathParam("param2");
        long version;
        try {
            // reads the config without pinning a version: the rerouted request pins the one it serves
            version = VersionResolver.label(model, core.manager().versionLabels(model), label);
        } catch (PierException e) {
            HttpSupport.error(ctx, e);
            return;
        }
        ctx.reroute(ctx.request().method(), "/v1/models/" + model + "/versions/" + version + rest);
    }
}
