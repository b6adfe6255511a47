package dev.pier.protocol.client;

import com.google.protobuf.Message;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.UnavailableException;
import dev.pier.protocol.ErrorMapper;
import dev.pier.protocol.grpc.V2GrpcMapper;
import dev.pier.protocol.grpc.v2.ModelInferRequest;
import dev.pier.protocol.grpc.v2.ModelInferResponse;
import dev.pier.protocol.grpc.v2.ModelMetadataRequest;
import dev.pier.protocol.grpc.v2.ModelMetadataResponse;
import dev.pier.protocol.grpc.v2.ServerLiveRequest;
import dev.pier.protocol.grpc.v2.ServerLiveResponse;
import dev.pier.protocol.grpc.v2.ServerReadyRequest;
import dev.pier.protocol.grpc.v2.ServerReadyResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.util.concurrent.CompletionException;

/**
 * A KServe V2 gRPC client on Vert.x (plaintext HTTP/2). The async methods return Vert.x futures; the
 * blocking ones must not be called on an event loop. Thread-safe; close it to release the connection pool.
 */
public final class GrpcV2Client implements AutoCloseable {
    private static final ServiceName SERVICE = ServiceName.create("inference", "GRPCInferenceService");

    private final GrpcClient client;
    private final SocketAddress server;

    public GrpcV2Client(Vertx vertx, String host, int port) {
        this.client = GrpcClient.client(
                vertx,
                new GrpcClientOptions().setMaxMessageSize(256L * 1024 * 1024),
                new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
        this.server = SocketAddress.inetSocketAddress(port, host);
    }

    public Future<ModelInferResponse> modelInfer(ModelInferRequest request) {
        return call("ModelInfer", request, ModelInferResponse.getDefaultInstance());
    }

    /** A model's metadata (inputs and outputs with their types and shapes), for clients that shape requests. */
    public Future<ModelMetadataResponse> modelMetadata(String model) {
        return call(
                "ModelMetadata",
                ModelMetadataRequest.newBuilder().setName(model).build(),
                ModelMetadataResponse.getDefaultInstance());
    }

    /** Blocking inference with the inputs sent as raw contents. */
    public InferResponse infer(InferRequest request) {
        return V2GrpcMapper.fromProto(await(modelInfer(V2GrpcMapper.toProto(request))));
    }

    /** Blocking ModelMetadata; {@code version} may be empty for the model's default version. */
    public dev.pier.protocol.grpc.v2.ModelMetadataResponse modelMetadata(String name, String version) {
        return await(call(
                "ModelMetadata",
                dev.pier.protocol.grpc.v2.ModelMetadataRequest.newBuilder()
                        .setName(name)
                        .setVersion(version)
                        .build(),
                dev.pier.protocol.grpc.v2.ModelMetadataResponse.getDefaultInstance()));
    }

    public boolean serverLive() {
        return await(call(
                        "ServerLive", ServerLiveRequest.getDefaultInstance(), ServerLiveResponse.getDefaultInstance()))
                .getLive();
    }

    public boolean serverReady() {
        return await(call(
                        "ServerReady",
                        ServerReadyRequest.getDefaultInstance(),
                        ServerReadyResponse.getDefaultInstance()))
                .getReady();
    }

    private <Req extends Message, Resp extends Message> Future<Resp> call(String method, Req request, Resp prototype) {
        ServiceMethod<Resp, Req> m = ServiceMethod.client(
                SERVICE, method, GrpcMessageEncoder.encoder(), GrpcMessageDecoder.decoder(prototype));
        // resp.last() is attached inside the send callback (on the stream's context) rather than chained
        // from the calling thread, so the answer cannot be delivered before its handler is in place (the
        // same race that lost HTTP answers in the bench's HttpTransport)
        return client.request(server, m)
                .compose(req -> req.send(request)
                        .compose(resp -> resp.last()
                                .recover(e -> Future.failedFuture(
                                        resp.status() != null && resp.status() != GrpcStatus.OK
                                                ? ErrorMapper.fromGrpc(resp.status(), resp.statusMessage())
                                                : e))));
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r && r instanceof dev.pier.api.PierException) {
                throw r;
            }
            throw new UnavailableException("gRPC call failed: " + cause, cause);
        }
    }

    @Override
    public void close() {
        client.close().toCompletionStage().toCompletableFuture().join();
    }
}
