package dev.pier.bench;

import dev.pier.api.InferRequest;
import dev.pier.protocol.client.GrpcV2Client;
import dev.pier.protocol.grpc.V2GrpcMapper;
import dev.pier.protocol.grpc.v2.ModelInferRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * KServe V2 gRPC load over {@link GrpcV2Client#modelInfer} (HTTP/2, many streams on one connection). The
 * protobuf messages are built once; only their serialisation happens per call. Thread-safe.
 */
public final class GrpcTransport implements Transport {
    private final GrpcV2Client client;
    private final List<ModelInferRequest> requests;

    public GrpcTransport(Vertx vertx, String host, int port, List<InferRequest> requests) {
        this.client = new GrpcV2Client(vertx, host, port);
        this.requests = requests.stream().map(V2GrpcMapper::toProto).toList();
    }

    @Override
    public Future<Void> send(int index) {
        return client.modelInfer(requests.get(Math.floorMod(index, requests.size())))
                .mapEmpty();
    }

    @Override
    public void close() {
        client.close();
    }
}
