package dev.pier.modelcontrol;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelNotFoundException;
import dev.pier.api.ModelState;
import dev.pier.api.ModelVersionStatus;
import dev.pier.protocol.HttpSupport;
import dev.pier.repository.ModelNames;
import dev.pier.repository.SourcedModel;
import dev.pier.serving.ServingCore;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;

/**
 * The KServe V2 model repository extension, as Triton serves it, for {@code --model-control explicit}:
 * {@code POST /v2/repository/index} lists every model in the repository with its versions' states;
 * {@code POST /v2/repository/models/{m}/load} loads (or reloads the versions now on disk of) a model and
 * answers once it is ready, or 400 with the load error; {@code POST /v2/repository/models/{m}/unload} stops
 * serving it (in-flight requests finish first). Authorisation is the network layer's job. Stateless.
 */
public final class RepositoryRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BODY = 64 * 1024;

    private final ServingCore core;
    private final ExplicitSource source;

    public RepositoryRoutes(ServingCore core, ExplicitSource source) {
        this.core = core;
        this.source = source;
    }

    public void mount(Router router) {
        // the bodies (Triton's optional parameters) are read and ignored, so keep-alive connections stay in step
        router.post("/v2/repository/index").handler(ctx -> HttpSupport.withBody(ctx, MAX_BODY, b -> index(ctx)));
        router.post("/v2/repository/models/:model/load").handler(ctx -> HttpSupport.withBody(ctx, MAX_BODY, b -> change(ctx, true)));
        router.post("/v2/repository/models/:model/unload").handler(ctx -> HttpSupport.withBody(ctx, MAX_BODY, b -> change(ctx, false)));
    }

    private void index(RoutingContext ctx) {
        ArrayNode out = JSON.createArrayNode();
        for (SourcedModel m : source.all()) {
            List<ModelVersionStatus> states = source.isWanted(m.name()) && core.modelNames().contains(m.name())
                    ? core.status(m.name(), OptionalLong.empty()) : List.of();
            if (states.isEmpty()) {
                ObjectNode row = out.addObject().put("name", m.name()).put("state", "UNAVAILABLE");
                row.put("reason", m instanceof SourcedModel.Broken b ? b.reason() : "unloaded");
            }
            for (ModelVersionStatus s : states) {
                ObjectNode row = out.addObject().put("name", m.name());
                if (s.version() > 0) {
                    row.put("version", Long.toString(s.version()));
                }
                row.put("state", s.state() == ModelState.AVAILABLE ? "READY" : "UNAVAILABLE");
                row.put("reason", s.error().isEmpty() ? s.state().name() : s.error());
            }
        }
        HttpSupport.json(ctx, 200, out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void change(RoutingContext ctx, boolean load) {
        String model = ctx.pathParam("model");
        if (!ModelNames.isValid(model)) {
            HttpSupport.error(ctx, new InvalidInputException("'" + model + "' is not a valid model name: expected letters, digits, "
                    + "'_', '-' or '.', at most 128 characters, not starting with '.' or '-'"));
            return;
        }
        if (load && source.all().stream().noneMatch(m -> m.name().equals(model))) {
            HttpSupport.error(ctx, new ModelNotFoundException("model '" + model + "' is not in the repository"));
            return;
        }
        if (load) {
            source.want(model);
        } else {
            source.drop(model);
        }
        core.refresh().whenComplete((ignored, failure) -> ctx.vertx().runOnContext(v -> {
            if (failure != null) {
                HttpSupport.error(ctx, failure);
            } else if (load && !core.isModelReady(model, OptionalLong.empty())) {
                String why = core.status(model, OptionalLong.empty()).stream()
                        .map(s -> "version " + s.version() + " " + s.state() + (s.error().isEmpty() ? "" : ": " + s.error()))
                        .reduce((a, b) -> a + "; " + b).orElse("no versions");
                HttpSupport.error(ctx, new InvalidInputException("failed to load '" + model + "': " + why));
            } else {
                HttpSupport.json(ctx, 200, "{}".getBytes(StandardCharsets.UTF_8));
            }
        }));
    }
}
