package dev.pier.modelcontrol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelNotFoundException;
import dev.pier.api.ModelState;
import dev.pier.api.ModelVersionStatus;
import dev.pier.protocol.ErrorMapper;
import dev.pier.protocol.HttpSupport;
import dev.pier.repository.ModelNames;
import dev.pier.repository.SourcedModel;
import dev.pier.serving.ServingCore;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

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
        // the bodies are read (so keep-alive connections stay in step) and checked: Triton's load parameters that
        // Pier does not implement are refused by name rather than ignored with a 200
        router.post("/v2/repository/index")
                .handler(ctx -> HttpSupport.withBody(ctx, MAX_BODY, b -> {
                    parameters(b, Set.of("ready"));
                    index(ctx, readyOnly(b));
                }));
        router.post("/v2/repository/models/:model/load")
                .handler(ctx -> HttpSupport.withBody(ctx, MAX_BODY, b -> {
                    parameters(b, Set.of());
                    change(ctx, true);
                }));
        router.post("/v2/repository/models/:model/unload")
                .handler(ctx -> HttpSupport.withBody(ctx, MAX_BODY, b -> {
                    parameters(b, Set.of("unload_dependents")); // Pier has no ensembles: there are never dependents
                    change(ctx, false);
                }));
    }

    /**
     * Checks a repository request body: empty, or a JSON object whose {@code parameters} (and, for the index,
     * top-level fields) name only what is supported. Triton's {@code config} (a model configuration sent inline)
     * and {@code file:<path>} (model files sent inline) are not implemented: a 400 names them, so a client never
     * believes it loaded something it did not.
     */
    static void parameters(byte[] body, Set<String> supported) {
        String text = new String(body, StandardCharsets.UTF_8).trim();
        if (text.isEmpty()) {
            return;
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidInputException(
                    "the request body must be empty or a JSON object such as {\"parameters\": {}}: "
                            + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(
                    "the request body must be empty or a JSON object such as {\"parameters\": {}}");
        }
        List<String> unsupported = new ArrayList<>();
        root.fieldNames().forEachRemaining(f -> {
            if (!f.equals("parameters") && !supported.contains(f)) {
                unsupported.add(f);
            }
        });
        JsonNode params = root.get("parameters");
        if (params != null && !params.isNull()) {
            if (!params.isObject()) {
                throw new InvalidInputException("'parameters' must be a JSON object, got " + params.getNodeType());
            }
            params.fieldNames().forEachRemaining(p -> {
                if (!supported.contains(p)) {
                    unsupported.add(p);
                }
            });
        }
        if (!unsupported.isEmpty()) {
            throw new InvalidInputException(
                    "unsupported repository parameter(s) " + unsupported + ": Pier loads models only from the "
                            + "repository directory ('config' and 'file:<path>' overrides are not implemented); supported here: "
                            + (supported.isEmpty() ? "none" : supported.toString()));
        }
    }

    /** Triton's index filter: {@code {"ready": true}} lists only models that are ready. */
    private static boolean readyOnly(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).trim();
        try {
            return !text.isEmpty() && JSON.readTree(text).path("ready").asBoolean(false);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return false; // parameters() has refused it already
        }
    }

    private void index(RoutingContext ctx, boolean readyOnly) {
        // the repository is read on a worker: a listing and a config file per model, on whatever storage holds it
        HttpSupport.offTheEventLoop(ctx, () -> indexBody(readyOnly), body -> HttpSupport.json(ctx, 200, body));
    }

    private byte[] indexBody(boolean readyOnly) {
        ArrayNode out = JSON.createArrayNode();
        for (SourcedModel m : source.all()) {
            List<ModelVersionStatus> states =
                    source.isWanted(m.name()) && core.modelNames().contains(m.name())
                            ? core.status(m.name(), OptionalLong.empty())
                            : List.of();
            if (states.isEmpty() && !readyOnly) {
                ObjectNode row = out.addObject().put("name", m.name()).put("state", "UNAVAILABLE");
                row.put(
                        "reason",
                        m instanceof SourcedModel.Broken b ? ErrorMapper.withoutServerPaths(b.reason()) : "unloaded");
            }
            for (ModelVersionStatus s : states) {
                if (readyOnly && s.state() != ModelState.AVAILABLE) {
                    continue;
                }
                ObjectNode row = out.addObject().put("name", m.name());
                if (s.version() > 0) {
                    row.put("version", Long.toString(s.version()));
                }
                row.put("state", s.state() == ModelState.AVAILABLE ? "READY" : "UNAVAILABLE");
                row.put("reason", s.error().isEmpty() ? s.state().name() : ErrorMapper.withoutServerPaths(s.error()));
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void change(RoutingContext ctx, boolean load) {
        String model = ctx.pathParam("model");
        if (!ModelNames.isValid(model)) {
            HttpSupport.error(
                    ctx,
                    new InvalidInputException("'" + model + "' is not a valid model name: expected letters, digits, "
                            + "'_', '-' or '.', at most 128 characters, not starting with '.' or '-'"));
            return;
        }
        HttpSupport.offTheEventLoop(
                ctx,
                () -> {
                    if (load && source.all().stream().noneMatch(m -> m.name().equals(model))) {
                        throw new ModelNotFoundException("model '" + model + "' is not in the repository");
                    }
                    if (load) {
                        source.want(model);
                    } else {
                        source.drop(model);
                    }
                    return core.refresh();
                },
                refreshed -> answerChange(ctx, model, load, refreshed));
    }

    private void answerChange(RoutingContext ctx, String model, boolean load, CompletableFuture<Void> refreshed) {
        refreshed.whenComplete((ignored, failure) -> ctx.vertx().runOnContext(v -> {
            if (failure != null) {
                HttpSupport.error(ctx, failure);
            } else if (load && !core.isModelReady(model, OptionalLong.empty())) {
                String why = core.status(model, OptionalLong.empty()).stream()
                        .map(s -> "version " + s.version() + " " + s.state()
                                + (s.error().isEmpty() ? "" : ": " + s.error()))
                        .reduce((a, b) -> a + "; " + b)
                        .orElse("no versions");
                HttpSupport.error(ctx, new InvalidInputException("failed to load '" + model + "': " + why));
            } else {
                HttpSupport.json(ctx, 200, "{}".getBytes(StandardCharsets.UTF_8));
            }
        }));
    }
}
