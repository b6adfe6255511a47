package dev.pier.protocol.grpc;

import dev.pier.api.InferenceService;
import io.vertx.core.Vertx;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;

/**
 * Entry point for the composition root: a Vert.x {@link GrpcServer} serving KServe V2 gRPC
 * ({@code inference.GRPCInferenceService}) and {@code grpc.health.v1.Health}. Mount it as the request handler
 * of an {@code HttpServer} (HTTP/2; plaintext h2c works out of the box).
 */
public final class GrpcApi {
    private GrpcApi() {
    }

    public static GrpcServer server(Vertx vertx, InferenceService service) {
        return server(vertx, service, GrpcOptions.defaults());
    }

    public static GrpcServer server(Vertx vertx, InferenceService service, GrpcOptions options) {
        GrpcServer server = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(options.maxMessageBytes()));
        new V2GrpcService(service, options).bind(server);
        new HealthGrpcService(vertx, service).bind(server);
        return server;
    }
}
