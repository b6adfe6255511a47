package dev.pier.security;

import dev.pier.monitor.dashboard.DashboardRoutes;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

/**
 * Checks {@code Authorization: Bearer <token>} in front of a protocol handler (REST or gRPC). Health checks
 * (what Kubernetes probes call, without credentials) are always open; the repository API needs the admin
 * token when one is set. A missing or wrong token gets 401 with {@code WWW-Authenticate: Bearer} (gRPC:
 * {@code UNAUTHENTICATED}), and the body is read away so the connection stays usable. Tokens are compared
 * in constant time. Stateless; runs on event loops.
 */
public final class BearerAuthHandler implements Handler<HttpServerRequest> {
    private static final Set<String> OPEN = Set.of("/v2/health/live", "/v2/health/ready", "/grpc.health.v1.Health/Check",
            "/grpc.health.v1.Health/Watch", "/inference.GRPCInferenceService/ServerLive",
            "/inference.GRPCInferenceService/ServerReady", "/metrics");
    private static final int GRPC_UNAUTHENTICATED = 16;

    private final Optional<byte[]> inference;
    private final Optional<byte[]> admin;
    private final Handler<HttpServerRequest> next;

    public BearerAuthHandler(SecurityOptions options, Handler<HttpServerRequest> next) {
        this.inference = options.inferenceToken().map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.admin = options.adminToken().or(options::inferenceToken).map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.next = next;
    }

    @Override
    public void handle(HttpServerRequest request) {
        String path = request.path();
        // the dashboard's page shell and static files hold no data (its API routes do and stay protected);
        // matched exactly, so no "/dashboard/assets/../" path can reach anything else
        Optional<byte[]> required = OPEN.contains(path) || DashboardRoutes.OPEN_PATHS.contains(path) ? Optional.empty()
                : path.startsWith("/v2/repository") ? admin : inference;
        if (required.isEmpty() || matches(request.getHeader("authorization"), required.get())) {
            next.handle(request);
            return;
        }
        String why = request.getHeader("authorization") == null ? "missing bearer token" : "wrong bearer token";
        String contentType = request.getHeader("content-type");
        if (contentType != null && contentType.startsWith("application/grpc")) {
            request.response().putHeader("content-type", "application/grpc")
                    .putHeader("grpc-status", Integer.toString(GRPC_UNAUTHENTICATED))
                    .putHeader("grpc-message", why.replace(' ', '+')).end();
            return;
        }
        request.handler(chunk -> { }).endHandler(v -> request.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer realm=\"pier\"")
                .putHeader("content-type", "application/json")
                .end("{\"error\":\"" + why + " for " + path + "; send 'Authorization: Bearer <token>'\"}"));
    }

    private static boolean matches(String header, byte[] token) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(header.substring(7).trim().getBytes(StandardCharsets.UTF_8), token);
    }
}
