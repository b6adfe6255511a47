package dev.pier.protocol.grpc;

import com.google.protobuf.Message;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.InferenceService;
import dev.pier.api.InvalidInputException;
import dev.pier.protocol.Deadlines;
import dev.pier.protocol.ErrorMapper;
import dev.pier.protocol.grpc.v2.ModelInferRequest;
import dev.pier.protocol.grpc.v2.ModelInferResponse;
import dev.pier.protocol.grpc.v2.ModelMetadataRequest;
import dev.pier.protocol.grpc.v2.ModelReadyRequest;
import dev.pier.protocol.grpc.v2.ModelReadyResponse;
import dev.pier.protocol.grpc.v2.ServerLiveRequest;
import dev.pier.protocol.grpc.v2.ServerLiveResponse;
import dev.pier.protocol.grpc.v2.ServerMetadataRequest;
import dev.pier.protocol.grpc.v2.ServerMetadataResponse;
import dev.pier.protocol.grpc.v2.ServerReadyRequest;
import dev.pier.protocol.grpc.v2.ServerReadyResponse;
import dev.pier.protocol.kserve.V2Routes;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.function.Function;

/**
 * The six V2 RPCs of {@code inference.GRPCInferenceService} on a Vert.x {@link GrpcServer}. Unary handlers run
 * on the event loop; ModelInfer answers at once when the service completed on the call's own event loop (the
 * batcher's inline path for short calls), else hops back to the call's context from the execution thread. Errors become gRPC statuses via {@link ErrorMapper}.
 */
final class V2GrpcService {
    static final ServiceName NAME = ServiceName.create("inference", "GRPCInferenceService");

    private final InferenceService service;
    private final GrpcOptions options;

    V2GrpcService(InferenceService service, GrpcOptions options) {
        this.service = service;
        this.options = options;
    }

    void bind(GrpcServer server) {
        unary(
                server,
                "ServerLive",
                ServerLiveRequest.getDefaultInstance(),
                r -> ServerLiveResponse.newBuilder().setLive(service.isLive()).build());
        unary(
                server,
                "ServerReady",
                ServerReadyRequest.getDefaultInstance(),
                r -> ServerReadyResponse.newBuilder()
                        .setReady(service.isReady())
                        .build());
        unary(
                server,
                "ModelReady",
                ModelReadyRequest.getDefaultInstance(),
                (ModelReadyRequest r) -> ModelReadyResponse.newBuilder()
                        .setReady(service.isModelReady(r.getName(), V2GrpcMapper.version(r.getVersion())))
                        .build());
        unary(
                server,
                "ServerMetadata",
                ServerMetadataRequest.getDefaultInstance(),
                r -> ServerMetadataResponse.newBuilder()
                        .setName("pier")
                        .setVersion(options.serverVersion())
                        .addAllExtensions(V2Routes.EXTENSIONS.stream()
                                .filter(e -> !e.equals("binary_tensor_data"))
                                .toList())
                        .build());
        unary(
                server,
                "ModelMetadata",
                ModelMetadataRequest.getDefaultInstance(),
                (ModelMetadataRequest r) ->
                        V2GrpcMapper.toProto(service.metadata(r.getName(), V2GrpcMapper.version(r.getVersion()))));
        server.callHandler(
                method("ModelInfer", ModelInferRequest.getDefaultInstance()),
                (GrpcServerRequest<LenientDecoder.Decoded<ModelInferRequest>, ModelInferResponse> call) ->
                        call.handler(msg -> {
                            if (msg.error() != null) {
                                fail(call, new InvalidInputException(msg.error()));
                            } else {
                                infer(call, msg.message());
                            }
                        }));
    }

    private void infer(GrpcServerRequest<?, ModelInferResponse> call, ModelInferRequest msg) {
        Context context = Vertx.currentContext();
        try {
            // the client's gRPC deadline (grpc-timeout) bounds queue time too
            InferRequest request = Deadlines.withTimeoutMicros(V2GrpcMapper.toInferRequest(msg), call.timeout() * 1000);
            service.infer(request).whenComplete((response, failure) -> {
                if (context != null && context.isEventLoopContext() && Vertx.currentContext() == context) {
                    // the answer came on this call's own event loop (the batcher ran a short call inline, or it
                    // failed at once): reply now instead of queueing a task to this same thread
                    answer(call, response, failure);
                } else {
                    // the answer came on an execution thread: one hop back to the connection's event loop
                    context.runOnContext(v -> answer(call, response, failure));
                }
            });
        } catch (RuntimeException e) {
            fail(call, e);
        }
    }

    private static void answer(
            GrpcServerRequest<?, ModelInferResponse> call, InferResponse response, Throwable failure) {
        if (failure != null) {
            fail(call, failure);
            return;
        }
        try {
            call.response().send(V2GrpcMapper.toProto(response));
        } catch (RuntimeException e) {
            fail(call, e);
        }
    }

    private <Req extends Message, Resp extends Message> void unary(
            GrpcServer server, String name, Req prototype, Function<Req, Resp> body) {
        server.callHandler(
                method(name, prototype),
                (GrpcServerRequest<LenientDecoder.Decoded<Req>, Resp> call) -> call.handler(msg -> {
                    Resp out;
                    try {
                        if (msg.error() != null) {
                            throw new InvalidInputException(msg.error());
                        }
                        out = body.apply(msg.message());
                    } catch (RuntimeException e) {
                        fail(call, e);
                        return;
                    }
                    call.response().send(out);
                }));
    }

    /** Requests that do not parse reach the handler as a {@link LenientDecoder.Decoded} error, answered INVALID_ARGUMENT. */
    static <Req extends Message, Resp extends Message> ServiceMethod<LenientDecoder.Decoded<Req>, Resp> method(
            String name, Req prototype) {
        return ServiceMethod.server(NAME, name, GrpcMessageEncoder.encoder(), new LenientDecoder<>(prototype));
    }

    static void fail(GrpcServerRequest<?, ?> call, Throwable failure) {
        call.response()
                .status(ErrorMapper.grpcStatus(failure))
                .statusMessage(ErrorMapper.message(failure))
                .end();
    }
}
