package dev.pier.protocol.tfserving;

import dev.pier.api.InferResponse;
import dev.pier.api.InferenceService;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelNotFoundException;
import dev.pier.api.ServingTarget;
import dev.pier.protocol.Deadlines;
import dev.pier.protocol.HttpSupport;
import dev.pier.protocol.ProtocolException;
import dev.pier.protocol.RestOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Mounts TF Serving's REST API under {@code /v1/models/}. The last path segment may carry a verb
 * ({@code mnist:predict}), which Vert.x path parameters do not split, so this class parses the path itself.
 * Stateless per request; handlers run on event loops and never block.
 */
public final class TfServingRoutes {
    private final InferenceService service;
    private final RestOptions options;

    public TfServingRoutes(InferenceService service, RestOptions options) {
        this.service = service;
        this.options = options;
    }

    public void mount(Router router) {
        router.route("/v1/models/*").handler(this::handle);
    }

    /** A parsed {@code /v1/models/...} path. */
    record Target(String model, OptionalLong version, String verb, boolean metadata) {}

    static Target parse(String path) {
        String rest = path.substring("/v1/models/".length());
        String[] seg = rest.split("/", -1);
        String last = seg[seg.length - 1];
        String verb = null;
        int colon = last.lastIndexOf(':');
        if (colon >= 0) {
            verb = last.substring(colon + 1);
            seg[seg.length - 1] = last.substring(0, colon);
        }
        boolean metadata = false;
        int n = seg.length;
        if (verb == null && n >= 2 && seg[n - 1].equals("metadata")) {
            metadata = true;
            n--;
        }
        if (n == 1 && !seg[0].isEmpty()) {
            return new Target(seg[0], OptionalLong.empty(), verb, metadata);
        }
        if (n == 3 && seg[1].equals("versions")) {
            return new Target(seg[0], HttpSupport.version(seg[2]), verb, metadata);
        }
        if (n == 3 && seg[1].equals("labels")) {
            throw new ModelNotFoundException("model '" + seg[0] + "' has no version label '" + seg[2]
                    + "'; Pier does not support version labels yet, use /v1/models/" + seg[0] + "/versions/{n}");
        }
        throw new ProtocolException(
                404,
                "no endpoint " + path + "; expected /v1/models/{model}[/versions/{n}]"
                        + " with /metadata (GET) or :predict (POST)");
    }

    private void handle(RoutingContext ctx) {
        Target target = parse(ctx.request().path());
        HttpMethod method = ctx.request().method();
        if (target.verb() == null) {
            requireMethod(method, HttpMethod.GET, ctx.request().path());
            byte[] body = target.metadata()
                    ? TfServingJson.metadata(service.metadata(target.model(), target.version()))
                    : TfServingJson.status(service.status(target.model(), target.version()));
            HttpSupport.json(ctx, 200, body);
            return;
        }
        switch (target.verb()) {
            case "predict" -> predict(ctx, target);
            case "classify", "regress" ->
                throw new InvalidInputException("the " + target.verb() + " API is not"
                        + " supported; Pier serves predict signatures only, use :predict");
            default -> throw new ProtocolException(404, "unknown verb ':" + target.verb() + "'; expected :predict");
        }
    }

    private void predict(RoutingContext ctx, Target target) {
        requireMethod(ctx.request().method(), HttpMethod.POST, ctx.request().path());
        HttpSupport.requireJsonOrBinary(ctx.request());
        HttpSupport.withBodySlice(ctx, options.maxBodyBytes(), body -> {
            String clientId = ctx.request().getHeader(HttpSupport.REQUEST_ID_HEADER);
            String deadline = ctx.request().getHeader(Deadlines.HEADER);
            // one pinned version: its signature decodes the body and the same version runs it
            CompletableFuture<Predicted> predicted =
                    ServingTarget.call(service.target(target.model(), target.version()), pinned -> {
                        TfPredictDecoder.Decoded decoded =
                                TfPredictDecoder.decode(body, pinned.signature(), target.model(), target.version());
                        return pinned.infer(
                                        Deadlines.fromHeader(decoded.request().withId(clientId), deadline))
                                .thenApply(response -> new Predicted(response, decoded.rowFormat()));
                    });
            HttpSupport.onContext(ctx, predicted, answer -> {
                InferResponse response = answer.response();
                ctx.response().putHeader(HttpSupport.MODEL_VERSION_HEADER, Long.toString(response.version()));
                if (response.id() != null) {
                    ctx.response().putHeader(HttpSupport.REQUEST_ID_HEADER, response.id());
                }
                HttpSupport.json(ctx, 200, TfServingJson.predict(response, answer.rowFormat()));
            });
        });
    }

    /** An answer and the row/column format its request used (TF Serving answers in the same one). */
    private record Predicted(InferResponse response, boolean rowFormat) {}

    private static void requireMethod(HttpMethod actual, HttpMethod expected, String path) {
        if (!actual.equals(expected)) {
            throw new ProtocolException(
                    405, "method " + actual.name() + " not allowed on " + path + "; use " + expected.name());
        }
    }
}
