package dev.pier.protocol.grpc;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.pier.api.InferenceService;
import dev.pier.protocol.grpc.health.HealthOuterClass;
import dev.pier.protocol.grpc.v2.GrpcPredictV2;
import dev.pier.protocol.tfserving.grpc.TfServingGrpcService;
import dev.pier.protocol.tfserving.proto.ModelServiceProtos;
import dev.pier.protocol.tfserving.proto.PredictionServiceProtos;
import io.vertx.core.Vertx;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import java.util.List;

/**
 * Entry point for the composition root: a Vert.x {@link GrpcServer} serving KServe V2 gRPC
 * ({@code inference.GRPCInferenceService}), TF Serving's gRPC API ({@code tensorflow.serving.PredictionService}
 * and {@code ModelService}), {@code grpc.health.v1.Health} and server reflection ({@code grpc.reflection.v1} and
 * {@code v1alpha}), all over the same {@link InferenceService}. Mount it as the request handler of an
 * {@code HttpServer} (HTTP/2; plaintext h2c works out of the box).
 */
public final class GrpcApi {
    /** Every service the gRPC port serves, in the order the banner and reflection list them. */
    public static final List<ServiceDescriptor> SERVICES = List.of(
            GrpcPredictV2.getDescriptor().findServiceByName("GRPCInferenceService"),
            PredictionServiceProtos.getDescriptor().findServiceByName("PredictionService"),
            ModelServiceProtos.getDescriptor().findServiceByName("ModelService"),
            HealthOuterClass.getDescriptor().findServiceByName("Health"));

    private GrpcApi() {}

    public static GrpcServer server(Vertx vertx, InferenceService service) {
        return server(vertx, service, GrpcOptions.defaults());
    }

    public static GrpcServer server(Vertx vertx, InferenceService service, GrpcOptions options) {
        GrpcServer server =
                GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(options.maxMessageBytes()));
        new V2GrpcService(service, options).bind(server);
        new TfServingGrpcService(service).bind(server);
        new HealthGrpcService(vertx, service).bind(server);
        reflection().bind(server);
        return server;
    }

    /** Reflection over {@link #SERVICES}; also lists itself. */
    public static ReflectionGrpcService reflection() {
        return new ReflectionGrpcService(SERVICES);
    }
}
