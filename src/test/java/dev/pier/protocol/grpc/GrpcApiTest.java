package dev.pier.protocol.grpc;

import static dev.pier.protocol.grpc.InferInputs.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.pier.api.DataType;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelNotFoundException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import dev.pier.api.UnavailableException;
import dev.pier.protocol.EchoInferenceService;
import dev.pier.protocol.client.GrpcV2Client;
import dev.pier.protocol.grpc.health.HealthCheckRequest;
import dev.pier.protocol.grpc.health.HealthCheckResponse;
import dev.pier.protocol.grpc.v2.InferParameter;
import dev.pier.protocol.grpc.v2.InferTensorContents;
import dev.pier.protocol.grpc.v2.ModelInferRequest;
import dev.pier.protocol.grpc.v2.ModelInferResponse;
import dev.pier.protocol.grpc.v2.ModelMetadataRequest;
import dev.pier.protocol.grpc.v2.ModelMetadataResponse;
import dev.pier.protocol.grpc.v2.ModelReadyRequest;
import dev.pier.protocol.grpc.v2.ModelReadyResponse;
import dev.pier.protocol.grpc.v2.ServerLiveRequest;
import dev.pier.protocol.grpc.v2.ServerLiveResponse;
import dev.pier.protocol.grpc.v2.ServerMetadataRequest;
import dev.pier.protocol.grpc.v2.ServerMetadataResponse;
import dev.pier.protocol.grpc.v2.ServerReadyRequest;
import dev.pier.protocol.grpc.v2.ServerReadyResponse;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** V2 gRPC and health over a real HTTP/2 server on port 0, called with grpc-java (an independent client). */
class GrpcApiTest {
    private static Vertx vertx;
    private static HttpServer server;
    private static EchoInferenceService service;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        service = new EchoInferenceService()
                .model(
                        "echo",
                        List.of(
                                new TensorSpec("x", DataType.FP32, Shape.of(-1, 2)),
                                new TensorSpec("s", DataType.BYTES, Shape.of(-1))),
                        List.of(
                                new TensorSpec("y", DataType.FP32, Shape.of(-1, 2)),
                                new TensorSpec("t", DataType.BYTES, Shape.of(-1))))
                .model(
                        "half",
                        List.of(new TensorSpec("h", DataType.FP16, Shape.of(-1))),
                        List.of(new TensorSpec("g", DataType.FP16, Shape.of(-1))));
        server = vertx.createHttpServer()
                .requestHandler(GrpcApi.server(vertx, service))
                .listen(0)
                .toCompletionStage()
                .toCompletableFuture()
                .get();
        channel = ManagedChannelBuilder.forAddress("localhost", server.actualPort())
                .usePlaintext()
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get();
        service.close();
    }

    @AfterEach
    void reset() {
        service.ready = true;
        service.live = true;
        service.failure = null;
        service.completesInline = false;
    }

    private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> method(
            String service, String name, Q request, R response, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<Q, R>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(service, name))
                .setRequestMarshaller(ProtoUtils.marshaller(request))
                .setResponseMarshaller(ProtoUtils.marshaller(response))
                .build();
    }

    @SuppressWarnings("unchecked")
    private static <R extends Message> R call(String name, Message request, R response) {
        MethodDescriptor<Message, R> md = (MethodDescriptor<Message, R>) (MethodDescriptor<?, ?>) method(
                "inference.GRPCInferenceService",
                name,
                request.getDefaultInstanceForType(),
                response,
                MethodDescriptor.MethodType.UNARY);
        return ClientCalls.blockingUnaryCall(
                channel, md, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
    }

    private static ModelInferResponse infer(ModelInferRequest r) {
        return call("ModelInfer", r, ModelInferResponse.getDefaultInstance());
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void serverAndModelStatusRpcs() {
        assertThat(call("ServerLive", ServerLiveRequest.getDefaultInstance(), ServerLiveResponse.getDefaultInstance())
                        .getLive())
                .isTrue();
        assertThat(call(
                                "ServerReady",
                                ServerReadyRequest.getDefaultInstance(),
                                ServerReadyResponse.getDefaultInstance())
                        .getReady())
                .isTrue();
        assertThat(call(
                                "ModelReady",
                                ModelReadyRequest.newBuilder().setName("echo").build(),
                                ModelReadyResponse.getDefaultInstance())
                        .getReady())
                .isTrue();
        assertThat(call(
                                "ModelReady",
                                ModelReadyRequest.newBuilder()
                                        .setName("echo")
                                        .setVersion("3")
                                        .build(),
                                ModelReadyResponse.getDefaultInstance())
                        .getReady())
                .isTrue();
        assertThat(call(
                                "ModelReady",
                                ModelReadyRequest.newBuilder()
                                        .setName("echo")
                                        .setVersion("4")
                                        .build(),
                                ModelReadyResponse.getDefaultInstance())
                        .getReady())
                .isFalse();
        service.ready = false;
        assertThat(call(
                                "ServerReady",
                                ServerReadyRequest.getDefaultInstance(),
                                ServerReadyResponse.getDefaultInstance())
                        .getReady())
                .isFalse();
        ServerMetadataResponse meta = call(
                "ServerMetadata",
                ServerMetadataRequest.getDefaultInstance(),
                ServerMetadataResponse.getDefaultInstance());
        assertThat(meta.getName()).isEqualTo("pier");
        assertThat(meta.getVersion()).isEqualTo("0.1.0");
    }

    /** Issue 14 item 6: bytes that are not the request message get INVALID_ARGUMENT naming the type, not a reset stream (CANCELLED). */
    @Test
    void undecodableProtobufIsInvalidArgument() {
        MethodDescriptor.Marshaller<byte[]> raw = new MethodDescriptor.Marshaller<>() {
            @Override
            public java.io.InputStream stream(byte[] value) {
                return new java.io.ByteArrayInputStream(value);
            }

            @Override
            public byte[] parse(java.io.InputStream stream) {
                try {
                    return stream.readAllBytes();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        for (String method : List.of("ModelInfer", "ModelMetadata")) {
            MethodDescriptor<byte[], byte[]> md = MethodDescriptor.<byte[], byte[]>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName("inference.GRPCInferenceService/" + method)
                    .setRequestMarshaller(raw)
                    .setResponseMarshaller(raw)
                    .build();
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(
                            channel, md, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), new byte[] {
                                (byte) 0xff, (byte) 0xff, (byte) 0xff
                            }))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).contains("not a valid inference.");
                    });
        }
    }

    @Test
    void modelMetadataRpc() {
        ModelMetadataResponse m = call(
                "ModelMetadata",
                ModelMetadataRequest.newBuilder().setName("echo").build(),
                ModelMetadataResponse.getDefaultInstance());
        assertThat(m.getName()).isEqualTo("echo");
        assertThat(m.getVersionsList()).containsExactly("3");
        assertThat(m.getPlatform()).isEqualTo("onnxruntime_onnx");
        assertThat(m.getInputs(0).getName()).isEqualTo("x");
        assertThat(m.getInputs(0).getDatatype()).isEqualTo("FP32");
        assertThat(m.getInputs(0).getShapeList()).containsExactly(-1L, 2L);
        assertThat(m.getOutputs(1).getDatatype()).isEqualTo("BYTES");
        assertThatThrownBy(() -> call(
                        "ModelMetadata",
                        ModelMetadataRequest.newBuilder().setName("nope").build(),
                        ModelMetadataResponse.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains("'nope'");
                });
    }

    @Test
    void inferWithTypedContentsAnswersRawOutputs() {
        ModelInferRequest r = ModelInferRequest.newBuilder()
                .setModelName("echo")
                .setId("abc")
                .putParameters(
                        "priority", InferParameter.newBuilder().setInt64Param(1).build())
                .addInputs(input("x", "FP32", 1, 2)
                        .setContents(InferTensorContents.newBuilder()
                                .addFp32Contents(0.5f)
                                .addFp32Contents(-3f)))
                .addInputs(input("s", "BYTES", 1)
                        .setContents(InferTensorContents.newBuilder().addBytesContents(ByteString.copyFromUtf8("hey"))))
                .build();
        ModelInferResponse resp = infer(r);
        assertThat(resp.getId()).isEqualTo("abc");
        assertThat(resp.getModelName()).isEqualTo("echo");
        assertThat(resp.getModelVersion()).isEqualTo("3");
        assertThat(resp.getOutputs(0).getName()).isEqualTo("y");
        assertThat(resp.getOutputs(0).getShapeList()).containsExactly(1L, 2L);
        assertThat(resp.getRawOutputContents(0).toByteArray())
                .containsExactly(le(8).putFloat(0.5f).putFloat(-3f).array());
        assertThat(resp.getRawOutputContents(1).toByteArray())
                .containsExactly(le(7).putInt(3)
                        .put("hey".getBytes(StandardCharsets.UTF_8))
                        .array());
        assertThat(service.lastRequest.get().parameters()).containsEntry("priority", 1L);
    }

    @Test
    void inferWithRawInputContentsIncludingFp16() {
        ModelInferRequest r = ModelInferRequest.newBuilder()
                .setModelName("echo")
                .setModelVersion("3")
                .addInputs(input("x", "FP32", 2, 2))
                .addInputs(input("s", "BYTES", 2))
                .addRawInputContents(ByteString.copyFrom(
                        le(16).putFloat(1).putFloat(2).putFloat(3).putFloat(4).array()))
                .addRawInputContents(ByteString.copyFrom(le(10).putInt(1)
                        .put((byte) 'a')
                        .putInt(1)
                        .put((byte) 'b')
                        .array()))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                        .setName("y"))
                .build();
        ModelInferResponse resp = infer(r);
        assertThat(resp.getOutputsCount()).isEqualTo(1);
        assertThat(resp.getRawOutputContents(0).toByteArray())
                .containsExactly(
                        le(16).putFloat(1).putFloat(2).putFloat(3).putFloat(4).array());

        byte[] half = le(4).putShort((short) 0x3C00).putShort((short) 0xC000).array(); // 1.0, -2.0
        ModelInferResponse h = infer(ModelInferRequest.newBuilder()
                .setModelName("half")
                .addInputs(input("h", "FP16", 2))
                .addRawInputContents(ByteString.copyFrom(half))
                .build());
        assertThat(h.getOutputs(0).getDatatype()).isEqualTo("FP16");
        assertThat(h.getRawOutputContents(0).toByteArray()).containsExactly(half);
    }

    @Test
    void answersCallsCompletedOnTheirOwnEventLoopAtOnceAndByteExact() {
        service.completesInline = true;
        ModelInferResponse resp = infer(ModelInferRequest.newBuilder()
                .setModelName("echo")
                .setId("inline")
                .addInputs(input("x", "FP32", 1, 2))
                .addInputs(input("s", "BYTES", 2))
                .addRawInputContents(
                        ByteString.copyFrom(le(8).putFloat(-0f).putFloat(1e-45f).array()))
                .addRawInputContents(ByteString.copyFrom(
                        le(9).putInt(1).put((byte) 'q').putInt(0).array()))
                .build());
        assertThat(resp.getId()).isEqualTo("inline");
        assertThat(resp.getRawOutputContents(0).toByteArray())
                .containsExactly(le(8).putFloat(-0f).putFloat(1e-45f).array());
        assertThat(resp.getRawOutputContents(1).toByteArray())
                .containsExactly(le(9).putInt(1).put((byte) 'q').putInt(0).array());
        // a failure that completes on the event loop is a status too, not a hang
        assertStatus(
                () -> infer(ModelInferRequest.newBuilder()
                        .setModelName("echo")
                        .addInputs(input("x", "FP32", 1, 2))
                        .addRawInputContents(ByteString.copyFrom(new byte[8]))
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "missing input 's'");
        service.failure = new UnavailableException("draining");
        assertStatus(
                () -> infer(ModelInferRequest.newBuilder()
                        .setModelName("echo")
                        .addInputs(input("x", "FP32", 1, 2))
                        .addInputs(input("s", "BYTES", 1))
                        .addRawInputContents(ByteString.copyFrom(new byte[8]))
                        .addRawInputContents(ByteString.copyFrom(le(4).putInt(0).array()))
                        .build()),
                Status.Code.UNAVAILABLE,
                "draining");
    }

    @Test
    void rawInputContentsShorterThanTheShapeNeedsAreInvalidArgument() {
        assertStatus(
                () -> infer(ModelInferRequest.newBuilder()
                        .setModelName("echo")
                        .addInputs(input("x", "FP32", 2, 2))
                        .addInputs(input("s", "BYTES", 1))
                        .addRawInputContents(ByteString.copyFrom(new byte[12]))
                        .addRawInputContents(ByteString.copyFrom(le(4).putInt(0).array()))
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "'x'",
                "needs 16 bytes",
                "12 were sent");
        assertStatus(
                () -> infer(ModelInferRequest.newBuilder()
                        .setModelName("echo")
                        .addInputs(input("x", "FP32", 1, 2))
                        .addInputs(input("s", "BYTES", 2))
                        .addRawInputContents(ByteString.copyFrom(new byte[8]))
                        .addRawInputContents(ByteString.copyFrom(
                                le(5).putInt(1).put((byte) 'a').array()))
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "'s'",
                "needs 2 elements");
    }

    @Test
    void badInferRequestsAreInvalidArgumentNamingTheTensor() {
        assertStatus(
                () -> infer(ModelInferRequest.newBuilder()
                        .setModelName("echo")
                        .addInputs(input("x", "FP32", 1, 2)
                                .setContents(InferTensorContents.newBuilder().addFp32Contents(1)))
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "'x'",
                "fp32_contents",
                "2 elements");
        assertStatus(
                () -> infer(ModelInferRequest.newBuilder()
                        .setModelName("half")
                        .addInputs(input("h", "FP16", 1)
                                .setContents(InferTensorContents.newBuilder().addFp32Contents(1)))
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "'h'",
                "raw_input_contents");
        assertStatus(
                () -> infer(ModelInferRequest.newBuilder()
                        .setModelName("echo")
                        .addInputs(input("x", "FP32", 1, 2))
                        .addInputs(input("s", "BYTES", 1))
                        .addRawInputContents(ByteString.copyFrom(new byte[8]))
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "raw_input_contents",
                "1",
                "2 inputs");
        assertStatus(
                () -> infer(ModelInferRequest.newBuilder()
                        .setModelName("echo")
                        .addInputs(input("x", "FP32", 1, 2))
                        .addRawInputContents(ByteString.copyFrom(new byte[7]))
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "'x'",
                "8 bytes",
                "7");
        assertStatus(
                () -> infer(ModelInferRequest.newBuilder()
                        .setModelName("echo")
                        .addInputs(input("x", "FLOAT", 1, 2))
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "'x'",
                "FLOAT",
                "FP32");
        assertStatus(
                () -> infer(ModelInferRequest.newBuilder()
                        .setModelName("echo")
                        .setModelVersion("v1")
                        .addInputs(input("x", "FP32", 1, 2))
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "model_version",
                "'v1'");
        assertStatus(
                () -> infer(ModelInferRequest.newBuilder()
                        .setModelName("echo")
                        .addInputs(input("x", "FP32", 1, 2)
                                .setContents(InferTensorContents.newBuilder()
                                        .addFp32Contents(1)
                                        .addFp32Contents(2)))
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "missing input 's'");
        assertStatus(
                () -> infer(ModelInferRequest.newBuilder().setModelName("nope").build()),
                Status.Code.NOT_FOUND,
                "'nope'");
        service.failure = new UnavailableException("draining");
        assertStatus(
                () -> infer(ModelInferRequest.newBuilder()
                        .setModelName("echo")
                        .addInputs(input("x", "FP32", 1, 2)
                                .setContents(InferTensorContents.newBuilder()
                                        .addFp32Contents(1)
                                        .addFp32Contents(2)))
                        .addInputs(input("s", "BYTES", 1)
                                .setContents(InferTensorContents.newBuilder()
                                        .addBytesContents(ByteString.copyFromUtf8("a"))))
                        .build()),
                Status.Code.UNAVAILABLE,
                "draining");
    }

    private static void assertStatus(Runnable call, Status.Code code, String... fragments) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            for (String f : fragments) {
                assertThat(e.getStatus().getDescription()).contains(f);
            }
        });
    }

    private static final MethodDescriptor<HealthCheckRequest, HealthCheckResponse> CHECK = method(
            "grpc.health.v1.Health",
            "Check",
            HealthCheckRequest.getDefaultInstance(),
            HealthCheckResponse.getDefaultInstance(),
            MethodDescriptor.MethodType.UNARY);
    private static final MethodDescriptor<HealthCheckRequest, HealthCheckResponse> WATCH = method(
            "grpc.health.v1.Health",
            "Watch",
            HealthCheckRequest.getDefaultInstance(),
            HealthCheckResponse.getDefaultInstance(),
            MethodDescriptor.MethodType.SERVER_STREAMING);

    private static HealthCheckResponse.ServingStatus check(String name) {
        return ClientCalls.blockingUnaryCall(
                        channel,
                        CHECK,
                        CallOptions.DEFAULT,
                        HealthCheckRequest.newBuilder().setService(name).build())
                .getStatus();
    }

    @Test
    void healthCheckFollowsReadiness() {
        assertThat(check("")).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        assertThat(check("inference.GRPCInferenceService")).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        service.ready = false;
        assertThat(check("")).isEqualTo(HealthCheckResponse.ServingStatus.NOT_SERVING);
        assertThat(check("inference.GRPCInferenceService")).isEqualTo(HealthCheckResponse.ServingStatus.NOT_SERVING);
        assertStatus(() -> check("other.Service"), Status.Code.NOT_FOUND, "other.Service");
    }

    @Test
    void healthWatchStreamsChangesAndStopsPollingWhenCancelled() throws Exception {
        // a separate server so the test can see the health service's open watches
        HealthGrpcService health = new HealthGrpcService(vertx, service);
        io.vertx.grpc.server.GrpcServer grpc = io.vertx.grpc.server.GrpcServer.server(vertx);
        health.bind(grpc);
        HttpServer watchServer = vertx.createHttpServer()
                .requestHandler(grpc)
                .listen(0)
                .toCompletionStage()
                .toCompletableFuture()
                .get();
        ManagedChannel watchChannel = ManagedChannelBuilder.forAddress("localhost", watchServer.actualPort())
                .usePlaintext()
                .build();
        BlockingQueue<HealthCheckResponse.ServingStatus> seen = new LinkedBlockingQueue<>();
        ClientCall<HealthCheckRequest, HealthCheckResponse> watch = watchChannel.newCall(WATCH, CallOptions.DEFAULT);
        ClientCalls.asyncServerStreamingCall(watch, HealthCheckRequest.getDefaultInstance(), new StreamObserver<>() {
            public void onNext(HealthCheckResponse value) {
                seen.add(value.getStatus());
            }

            public void onError(Throwable t) {}

            public void onCompleted() {}
        });
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        service.ready = false;
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo(HealthCheckResponse.ServingStatus.NOT_SERVING);
        assertThat(health.activeWatches()).isEqualTo(1);
        watch.cancel("test done", null);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (health.activeWatches() > 0 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(health.activeWatches()).isZero();
        watchChannel.shutdownNow();
        watchServer.close();
    }

    @Test
    void pierGrpcClientRoundTrips() {
        try (GrpcV2Client client = new GrpcV2Client(vertx, "localhost", server.actualPort())) {
            assertThat(client.serverLive()).isTrue();
            assertThat(client.serverReady()).isTrue();
            InferResponse r = client.infer(new InferRequest(
                    "q",
                    "echo",
                    OptionalLong.of(3),
                    List.of(Tensor.ofFloats("x", Shape.of(1, 2), 7f, 8f), Tensor.ofStrings("s", Shape.of(1), "w")),
                    List.of(),
                    Map.of()));
            assertThat(r.id()).isEqualTo("q");
            assertThat(r.version()).isEqualTo(3);
            assertThat(r.outputs().get(0).floats()).containsExactly(7f, 8f);
            assertThat(r.outputs().get(1).strings()).containsExactly("w");
            assertThatThrownBy(() -> client.infer(new InferRequest(
                            null,
                            "nope",
                            OptionalLong.empty(),
                            List.of(Tensor.ofFloats("x", Shape.of(1), 1f)),
                            List.of(),
                            Map.of())))
                    .isInstanceOf(ModelNotFoundException.class)
                    .hasMessageContaining("'nope'");
            assertThatThrownBy(() -> client.infer(new InferRequest(
                            null,
                            "echo",
                            OptionalLong.empty(),
                            List.of(Tensor.ofFloats("x", Shape.of(1, 3), 1f, 2f, 3f)),
                            List.of(),
                            Map.of())))
                    .isInstanceOf(InvalidInputException.class);
        }
    }
}
