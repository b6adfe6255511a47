package dev.pier.e2e;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import java.util.concurrent.TimeUnit;

/**
 * Unary calls through grpc-java, an implementation independent of the server's (Vert.x) gRPC stack,
 * with method descriptors built from the protobuf messages (no code generation needed).
 */
final class GrpcCalls implements AutoCloseable {
    private final ManagedChannel channel;

    GrpcCalls(int port) {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .build();
    }

    @SuppressWarnings("unchecked")
    <R extends Message> R call(String service, String method, Message request, R responseType) {
        return call(service, method, request, responseType, 20_000);
    }

    <R extends Message> R call(String service, String method, Message request, R responseType, long deadlineMs) {
        MethodDescriptor<Message, R> md = MethodDescriptor.<Message, R>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(service, method))
                .setRequestMarshaller((MethodDescriptor.Marshaller<Message>)
                        (MethodDescriptor.Marshaller<?>) ProtoUtils.marshaller(request.getDefaultInstanceForType()))
                .setResponseMarshaller(ProtoUtils.marshaller(responseType))
                .build();
        return ClientCalls.blockingUnaryCall(
                channel, md, CallOptions.DEFAULT.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS), request);
    }

    <R extends Message> R v2(String method, Message request, R responseType) {
        return call("inference.GRPCInferenceService", method, request, responseType);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
