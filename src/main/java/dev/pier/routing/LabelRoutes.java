package dev.pier.routing;

import dev.pier.api.ModelNotFoundException;
import dev.pier.api.PierException;
import dev.pier.protocol.HttpSupport;
import dev.pier.serving.ModelHandle;
import dev.pier.serving.ServingCore;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.OptionalLong;

/**
 * TF Serving's version labels over REST: {@code /v1/models/M/labels/L} (status, metadata, {@code :predict},
 * {@code :classify}, {@code :regress}) is re-routed to {@code /v1/models/M/versions/N...}, where N comes from
 * the {@code version_labels} of the model's config.yaml (read from its newest loaded version, so a label
 * change rolls out with the config). An unknown label is 404 naming the labels there are. Stateless.
 */
public final class LabelRoutes {
    private final ServingCore core;

    public LabelRoutes(ServingCore core) {
        this.core = core;
    }

    public void mount(Router router) {
        // ordered before the TF Serving routes so that they only ever see numeric versions
        router.routeWithRegex("/v1/models/([^/:]+)/labels/([^/:]+)(.*)").order(-1).handler(this::reroute);
    }

    private void reroute(RoutingContext ctx) {
        String model = ctx.pathParam("param0");
        String label = ctx.pathParam("param1");
        String rest = ctx.pathParam("param2");
        Map<String, Long> labels;
        try (ModelHandle newest = core.manager().acquire(model, OptionalLong.empty())) {
            labels = newest.loaded().config().versionLabels();
        } catch (PierException e) {
            HttpSupport.error(ctx, e);
            return;
        }
        Long version = labels.get(label);
        if (version == null) {
            HttpSupport.error(ctx, new ModelNotFoundException("model '" + model + "' has no version label '" + label
                    + "'; its labels are " + labels + " (config.yaml 'version_labels')"));
            return;
        }
        ctx.reroute(ctx.request().method(), "/v1/models/" + model + "/versions/" + version + rest);
    }
}
