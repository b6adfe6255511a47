package dev.pier.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.pier.api.DataType;
import dev.pier.api.Shape;
import dev.pier.api.TensorSpec;
import dev.pier.protocol.EchoInferenceService;
import dev.pier.protocol.RestApi;
import dev.pier.protocol.RestOptions;
import dev.pier.protocol.grpc.GrpcApi;
import dev.pier.protocol.grpc.v2.ModelInferRequest;
import dev.pier.protocol.grpc.v2.ModelInferResponse;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A traced request through the real protocol stacks (Vert.x HTTP/1.1 REST and HTTP/2 gRPC, called by the JDK
 * client and grpc-java) in front of {@link TracingService} over the protocols' test double of the core: each
 * answered request's server span has its stages and is not marked as a client that went away. On gRPC the
 * stream's close is reported before the response's end (Vert.x closes the HTTP/2 stream inside the write of
 * the trailers), which once marked every gRPC request {@code pier.client_gone}.
 */
class TracedProtocolsTest {
    private static final AttributeKey<Boolean> CLIENT_GONE = AttributeKey.booleanKey("pier.client_gone");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String GRPC_TRACE = "0af7651916cd43dd8448eb211c80319c";

    private static final CollectedSpans collected = new CollectedSpans();
    private static final List<SpanData> exported = collected.spans;
    private static Tracing tracing;
    private static Vertx vertx;
    private static EchoInferenceService core;
    private static HttpServer rest;
    private static HttpServer grpc;

    @BeforeAll
    static void start() throws Exception {
        tracing = collected.tracing();
        vertx = Vertx.vertx();
        core = new EchoInferenceService()
                .model(
                        "echo",
                        List.of(new TensorSpec("x", DataType.FP32, Shape.of(-1, 2))),
                        List.of(new TensorSpec("y", DataType.FP32, Shape.of(-1, 2))));
        TracingService service = new TracingService(core);
        rest = vertx.createHttpServer()
                .requestHandler(new TracingHttpHandler(tracing, RestApi.router(vertx, service, RestOptions.defaults())))
                .listen(0, "127.0.0.1")
                .await();
        grpc = vertx.createHttpServer()
                .requestHandler(new TracingHttpHandler(tracing, GrpcApi.server(vertx, service)))
                .listen(0, "127.0.0.1")
                .await();
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
        core.close();
        tracing.close();
    }

    @Test
    void anAnsweredRestRequestHasEveryStageAndItsStatus() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> answer = client.send(
                    HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + rest.actualPort() + "/v2/models/echo/infer"))
                            .header("Content-Type", "application/json")
                            .header("traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01")
                            .POST(
                                    HttpRequest.BodyPublishers.ofString(
                                            "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[1,2]}]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
        SpanData root = awaitRoot(TRACE);
        assertStages(TRACE, root);
        assertThat(root.getAttributes().get(STATUS)).isEqualTo(200L);
    }

    @Test
    void anAnsweredGrpcCallHasEveryStageAndNoClientGone() throws Exception {
        Metadata headers = new Metadata();
        headers.put(
                Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
                "00-" + GRPC_TRACE + "-b7ad6b7169203331-01");
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpc.actualPort())
                .usePlaintext()
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
                .build();
        try {
            ByteBuffer raw = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            raw.putFloat(1).putFloat(2);
            ModelInferResponse answer = ClientCalls.blockingUnaryCall(
                    channel,
                    MethodDescriptor.<ModelInferRequest, ModelInferResponse>newBuilder()
                            .setType(MethodDescriptor.MethodType.UNARY)
                            .setFullMethodName("inference.GRPCInferenceService/ModelInfer")
                            .setRequestMarshaller(ProtoUtils.marshaller(ModelInferRequest.getDefaultInstance()))
                            .setResponseMarshaller(ProtoUtils.marshaller(ModelInferResponse.getDefaultInstance()))
                            .build(),
                    CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS),
                    ModelInferRequest.newBuilder()
                            .setModelName("echo")
                            .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                                    .setName("x")
                                    .setDatatype("FP32")
                                    .addShape(1)
                                    .addShape(2))
                            .addRawInputContents(ByteString.copyFrom(raw.array()))
                            .build());
            assertThat(answer.getModelName()).isEqualTo("echo");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        SpanData root = awaitRoot(GRPC_TRACE);
        assertStages(GRPC_TRACE, root);
        assertThat(root.getAttributes().get(AttributeKey.stringKey("rpc.system")))
                .isEqualTo("grpc");
    }

    /**
     * The root is exported when it ends, on the server's event loop after the client already has its answer:
     * waited for (bounded), not timed.
     */
    private static SpanData awaitRoot(String traceId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (SpanData s : exported) {
                if (s.getTraceId().equals(traceId) && s.getParentSpanContext().isRemote()) {
                    return s;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no server span of trace " + traceId + " among " + exported);
    }

    private static void assertStages(String traceId, SpanData root) {
        assertThat(root.getAttributes().get(CLIENT_GONE))
                .as("the client got its answer: it did not go away")
                .isNull();
        assertThat(root.getAttributes().get(RequestTrace.MODEL)).isEqualTo("echo");
        assertThat(root.getAttributes().get(RequestTrace.VERSION)).isEqualTo(EchoInferenceService.VERSION);
        assertThat(exported.stream()
                        .filter(s -> s.getTraceId().equals(traceId) && s != root)
                        .map(s -> {
                            assertThat(s.getParentSpanId()).as(s.getName()).isEqualTo(root.getSpanId());
                            return s.getName();
                        }))
                .as("the echo core reports no execution timings: one infer stage")
                .containsExactlyInAnyOrder("decode", "infer", "encode");
    }
}
