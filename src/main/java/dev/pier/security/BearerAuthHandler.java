package dev.pier.security;

import dev.pier.protocol.ErrorMapper;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Checks {@code Authorization: Bearer <token>}. Health checks (what Kubernetes probes call, without
 * credentials) are always open; the repository API needs the admin token when one is set; the API description
 * ({@code /v2/openapi.json}, {@code /v2/docs}) needs the inference token unless {@code --public-docs}. The decision is
 * made on the path the dispatcher routes on ({@link AccessPolicy}): for REST that is the router's normalized
 * path, so this runs as the router's first route ({@link #forRouter}); for gRPC it is the raw method path the
 * gRPC server dispatches on, so it sits in front of it. A missing or wrong token gets 401 with
 * {@code WWW-Authenticate: Bearer} (gRPC: {@code UNAUTHENTICATED}), and the body is read away so the
 * connection stays usable. Tokens are compared in constant time. Stateless; runs on event loops.
 */
public final class BearerAuthHandler implements Handler<HttpServerRequest> {
    private static final int GRPC_UNAUTHENTICATED = 16;

    private final Optional<byte[]> inference;
    private final Optional<byte[]> admin;
    private final boolean publicDocs;
    private final Handler<HttpServerRequest> next;

    /** In front of the gRPC server, which dispatches on the raw request path. */
    public BearerAuthHandler(SecurityOptions options, Handler<HttpServerRequest> next) {
        this.inference = options.inferenceToken().map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.admin = options.adminToken().or(options::inferenceToken).map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.publicDocs = options.publicDocs();
        this.next = next;
    }

    /**
     * The REST form: mount as the first route of the router ({@code router.route().order(..).handler(..)}),
     * so it decides on {@link RoutingContext#normalizedPath()}, the very path the router matches its routes
     * against ({@code %xx} decoded, {@code //} merged, {@code ..} resolved).
     */
    public static Handler<RoutingContext> forRouter(SecurityOptions options) {
        BearerAuthHandler check = new BearerAuthHandler(options, null);
        return ctx -> {
            if (check.allowed(ctx.normalizedPath(), ctx.request())) {
                ctx.next();
            } else {
                check.refuse(ctx.request(), ctx.normalizedPath());
            }
        };
    }

    /** {@code next} behind a token check where the options set a token; {@code next} itself where none is set. */
    public static Handler<HttpServerRequest> ifTokens(SecurityOptions options, Handler<HttpServerRequest> next) {
        return options.tokens() ? new BearerAuthHandler(options, next) : next;
    }

    @Override
    public void handle(HttpServerRequest request) {
        if (allowed(request.path(), request)) {
            next.handle(request);
        } else {
            refuse(request, request.path());
        }
    }

    private boolean allowed(String path, HttpServerRequest request) {
        Optional<byte[]> required = switch (AccessPolicy.of(path, publicDocs)) {
            case OPEN -> Optional.empty();
            case INFERENCE -> inference;
            case ADMIN -> admin;
        };
        return required.isEmpty() || matches(request.getHeader("authorization"), required.get());
    }

    private void refuse(HttpServerRequest request, String path) {
        boolean missing = request.getHeader("authorization") == null;
        String why = (missing ? "missing bearer token" : "wrong bearer token")
                + (AccessPolicy.of(path) == AccessPolicy.Access.ADMIN && admin.isPresent() && !missing
                        ? " (this path needs the admin token)"
                        : "");
        String contentType = request.getHeader("content-type");
        if (contentType != null && contentType.startsWith("application/grpc")) {
            request.response()
                    .putHeader("content-type", "application/grpc")
                    .putHeader("grpc-status", Integer.toString(GRPC_UNAUTHENTICATED))
                    .putHeader("grpc-message", why.replace(' ', '+'))
                    .end();
            return;
        }
        byte[] body = ErrorMapper.errorJson(why + " for " + path + "; send 'Authorization: Bearer <token>'");
        Handler<Void> answer = v -> {
            if (!request.response().ended()) {
                request.response()
                        .setStatusCode(401)
                        .putHeader("WWW-Authenticate", "Bearer realm=\"pier\"")
                        .putHeader("content-type", "application/json")
                        .end(io.vertx.core.buffer.Buffer.buffer(body));
            }
        };
        if (request.isEnded()) {
            answer.handle(null);
            return;
        }
        request.handler(chunk -> {}).endHandler(answer);
        request.resume();
    }

    private static boolean matches(String header, byte[] token) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(header.substring(7).trim().getBytes(StandardCharsets.UTF_8), token);
    }
}
