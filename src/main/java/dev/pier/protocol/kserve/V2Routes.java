package dev.pier.protocol.kserve;

import dev.pier.api.InferRequest;
import dev.pier.api.InferenceService;
import dev.pier.api.InvalidInputException;
import dev.pier.protocol.Deadlines;
import dev.pier.protocol.HttpSupport;
import dev.pier.protocol.RestOptions;
import io.netty.buffer.Unpooled;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.OptionalLong;

/**
 * Mounts the KServe V2 REST endpoints on a router: health, server metadata, model metadata and readiness
 * (latest or a given version) and inference (JSON or binary tensor extension). Holds no per-request state;
 * the handlers run on event loops and never block.
 */
public final class V2Routes {
    /** Extensions this server really implements, reported by {@code GET /v2}. */
    public static final List<String> EXTENSIONS = List.of("binary_tensor_data", "parameters");

    private final InferenceService service;
    private final RestOptions options;

    public V2Routes(InferenceService service, RestOptions options) {
        this.service = service;
        this.options = options;
    }

    public void mount(Router router) {
        // the router tries routes in order: exact paths cost a string comparison, and each route with a path
        // parameter a regular expression match (a Matcher) per request that passes it, so the probes come first,
        // then inference, then the rest
        router.get("/v2/health/live").handler(ctx -> status(ctx, service.isLive()));
        router.get("/v2/health/ready").handler(ctx -> status(ctx, service.isReady()));
        router.post("/v2/models/:model/infer").handler(this::infer);
        router.post("/v2/models/:model/versions/:version/infer").handler(this::infer);
        router.get("/v2")
                .handler(ctx ->
                        HttpSupport.json(ctx, 200, V2Metadata.server("pier", options.serverVersion(), EXTENSIONS)));
        router.get("/v2/models/:model").handler(this::metadata);
        router.get("/v2/models/:model/versions/:version").handler(this::metadata);
        router.get("/v2/models/:model/ready").handler(this::ready);
        router.get("/v2/models/:model/versions/:version/ready").handler(this::ready);
    }

    private static void status(RoutingContext ctx, boolean ok) {
        if (ok) {
            ctx.response().setStatusCode(200).end();
        } else {
            HttpSupport.json(
                    ctx,
                    503,
                    dev.pier.protocol.ErrorMapper.errorJson(
                            "not ready: models are loading or the server is shutting down"));
        }
    }

    private void metadata(RoutingContext ctx) {
        String model = ctx.pathParam("model");
        OptionalLong version = HttpSupport.version(ctx.pathParam("version"));
        HttpSupport.json(ctx, 200, V2Metadata.model(service.metadata(model, version)));
    }

    /**
     * 200 when ready; a model (or version) the server does not know is 404 with the reason, as for metadata and
     * inference; a known one that cannot serve yet (loading, unloading, shutting down) is 503. Both with a JSON body.
     */
    private void ready(RoutingContext ctx) {
        String model = ctx.pathParam("model");
        OptionalLong version = HttpSupport.version(ctx.pathParam("version"));
        if (service.isModelReady(model, version)) {
            status(ctx, true);
            return;
        }
        java.util.List<dev.pier.api.ModelVersionStatus> states =
                service.status(model, version); // unknown version: ModelNotFoundException
        if (states.isEmpty() && !service.modelNames().contains(model)) {
            throw new dev.pier.api.ModelNotFoundException(
                    "model '" + model + "' is not served here; known models: " + service.modelNames());
        }
        String why = states.stream()
                .map(st -> "version " + st.version() + " " + st.state())
                .reduce((a, b) -> a + ", " + b)
                .orElse("no version loaded");
        HttpSupport.json(
                ctx, 503, dev.pier.protocol.ErrorMapper.errorJson("model '" + model + "' is not ready: " + why));
    }

    private void infer(RoutingContext ctx) {
        HttpSupport.requireJsonOrBinary(ctx.request());
        String model = ctx.pathParam("model");
        OptionalLong version = HttpSupport.version(ctx.pathParam("version"));
        int jsonLength = headerLength(ctx.request().getHeader(V2Codec.HEADER_LENGTH));
        HttpSupport.withBodySlice(ctx, options.maxBodyBytes(), body -> {
            InferRequest request = Deadlines.fromHeader(
                    V2Codec.decodeRequest(body, jsonLength, model, version),
                    ctx.request().getHeader(Deadlines.HEADER));
            HttpSupport.onContext(ctx, service.infer(request), response -> {
                V2Codec.Encoded encoded = V2Codec.encodeResponse(response, request);
                var http = ctx.response()
                        .setStatusCode(200)
                        .putHeader(HttpSupport.MODEL_VERSION_HEADER, Long.toString(response.version()));
                if (encoded.binary()) {
                    http.putHeader(HttpSupport.CONTENT_TYPE, HttpSupport.APPLICATION_OCTET_STREAM)
                            .putHeader(V2Codec.HEADER_LENGTH, Integer.toString(encoded.jsonLength()));
                } else {
                    http.putHeader(HttpSupport.CONTENT_TYPE, HttpSupport.APPLICATION_JSON);
                }
                // wrapped, not copied (Buffer.buffer(byte[]) copies): the array is this response's own
                http.end(BufferInternal.buffer(Unpooled.wrappedBuffer(encoded.body())));
            });
        });
    }

    private static int headerLength(String value) {
        if (value == null) {
            return -1;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException(V2Codec.HEADER_LENGTH + " must be a non-negative integer, got '" + value + "'");
    }
}
