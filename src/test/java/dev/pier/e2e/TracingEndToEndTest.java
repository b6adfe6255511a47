package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.pier.protocol.grpc.v2.ModelInferRequest;
import dev.pier.protocol.grpc.v2.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenTelemetry tracing through a real {@code pier serve}: requests carry a W3C {@code traceparent} (REST header,
 * gRPC metadata); Pier exports its spans over OTLP/HTTP to a receiver in the test that decodes the real OTLP
 * protobuf. Each request's server span continues the caller's trace (same trace id, the caller's span as
 * parent, its tracestate kept) and has decode, queue, batch execution and encode children with the model and
 * version; the trace id is in the request's log lines and its prediction-log record. The standard
 * {@code OTEL_*} variables are honoured (service name, batch delay). With export off, the trace id still
 * reaches the logs and the prediction log, and nothing is exported.
 */
class TracingEndToEndTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final String GRPC_TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String GRPC_CALLER_SPAN = "b7ad6b7169203331";
    private static final List<String> CHILDREN = List.of("decode", "queue", "batch execution", "encode");

    @TempDir
    Path dir;

    @Test
    void spansContinueTheCallersTraceOnBothProtocolsWithStagesAsChildren() throws Exception {
        TestRepository repo = new TestRepository(dir.resolve("repo"));
        Path log = dir.resolve("predictions");
        try (OtlpReceiver collector = new OtlpReceiver();
                PierProcess pier = PierProcess.serveWithEnv(
                        Map.of(
                                "OTEL_SERVICE_NAME",
                                "pier-under-test",
                                "OTEL_BSP_SCHEDULE_DELAY",
                                "100",
                                "PIER_LOG_LEVEL",
                                "DEBUG"),
                        List.of(),
                        "--model-store",
                        repo.root.toString(),
                        "--otlp-endpoint",
                        collector.endpoint(),
                        "--prediction-log",
                        log.toString())) {
            Http http = new Http(pier.httpPort());
            Http.Answer rest = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + pier.httpPort() + "/v2/models/mlp/infer"))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            ProductionServingEndToEndTest.mlpBody(new float[][] {{1, 2, 3, 4, 5, 6}})))
                    .header("Content-Type", "application/json")
                    .header("traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01")
                    .header("tracestate", "caller=abc"));
            assertThat(rest.status()).as(rest.text()).isEqualTo(200);
            grpcInfer(pier.grpcPort());

            List<Span> restSpans;
            try {
                restSpans = awaitTrace(collector, TRACE, 1 + CHILDREN.size());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\npier's output:\n" + pier.output(), e);
            }
            Span root = only(restSpans, "POST /v2/models/{model}/infer");
            assertThat(hex(root.getParentSpanId()))
                    .as("the caller's span is the parent")
                    .isEqualTo(CALLER_SPAN);
            assertThat(root.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
            assertThat(root.getTraceState()).isEqualTo("caller=abc");
            assertThat(attributes(root))
                    .containsEntry("pier.model", "mlp")
                    .containsEntry("pier.model.version", "2")
                    .containsEntry("http.response.status_code", "200")
                    .containsEntry("url.path", "/v2/models/mlp/infer")
                    .as("answered: the client did not go away")
                    .doesNotContainKey("pier.client_gone");
            checkChildren(restSpans, root);

            List<Span> grpcSpans = awaitTrace(collector, GRPC_TRACE, 1 + CHILDREN.size());
            Span grpcRoot = only(grpcSpans, "inference.GRPCInferenceService/ModelInfer");
            assertThat(hex(grpcRoot.getParentSpanId())).isEqualTo(GRPC_CALLER_SPAN);
            assertThat(attributes(grpcRoot))
                    .containsEntry("rpc.system", "grpc")
                    .containsEntry("pier.model", "mlp")
                    .as("answered: the client did not go away (the stream's close after the trailers is no hang-up)")
                    .doesNotContainKey("pier.client_gone");
            checkChildren(grpcSpans, grpcRoot);

            assertThat(collector.exports().getFirst().getResourceSpans(0).getResource().getAttributesList().stream()
                            .filter(kv -> kv.getKey().equals("service.name"))
                            .findFirst()
                            .orElseThrow()
                            .getValue()
                            .getStringValue())
                    .as("OTEL_SERVICE_NAME")
                    .isEqualTo("pier-under-test");

            // the trace id in the request's log line and in its prediction-log record
            assertThat(pier.output().lines().filter(l -> l.contains("TracingService") && l.contains("model mlp")))
                    .isNotEmpty()
                    .allSatisfy(l -> assertThat(l).containsAnyOf("trace_id=" + TRACE, "trace_id=" + GRPC_TRACE));
            assertThat(awaitLogged(log, TRACE)).contains("\"trace_id\":\"" + TRACE + "\"");
        }
    }

    @Test
    void exportOffStillCarriesTheCallersTraceIdIntoLogsAndThePredictionLog() throws Exception {
        TestRepository repo = new TestRepository(dir.resolve("repo"));
        Path log = dir.resolve("predictions");
        try (OtlpReceiver collector = new OtlpReceiver();
                PierProcess pier = PierProcess.serveWithEnv(
                        Map.of("PIER_LOG_LEVEL", "DEBUG"),
                        List.of(),
                        "--model-store",
                        repo.root.toString(),
                        "--prediction-log",
                        log.toString())) {
            Http http = new Http(pier.httpPort());
            Http.Answer rest = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + pier.httpPort() + "/v2/models/mlp/infer"))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            ProductionServingEndToEndTest.mlpBody(new float[][] {{1, 2, 3, 4, 5, 6}})))
                    .header("Content-Type", "application/json")
                    .header("traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01"));
            assertThat(rest.status()).isEqualTo(200);
            assertThat(awaitLogged(log, TRACE)).contains("\"trace_id\":\"" + TRACE + "\"");
            assertThat(pier.output()).contains("trace_id=" + TRACE);
            assertThat(collector.exports()).isEmpty();
        }
    }

    /**
     * OTLP over gRPC ({@code --otlp-protocol grpc}) to a grpc-java receiver, with the sampler from the standard
     * variables: {@code parentbased_traceidratio} at ratio 0 records no request of its own (a request without
     * {@code traceparent}) but follows a caller that sampled (flags 01), whose trace arrives whole.
     */
    @Test
    void grpcExportAndTheSamplerFromTheEnvironment() throws Exception {
        TestRepository repo = new TestRepository(dir.resolve("repo"));
        try (OtlpReceiver collector = OtlpReceiver.grpc();
                PierProcess pier = PierProcess.serveWithEnv(
                        Map.of(
                                "OTEL_BSP_SCHEDULE_DELAY",
                                "100",
                                "OTEL_TRACES_SAMPLER",
                                "parentbased_traceidratio",
                                "OTEL_TRACES_SAMPLER_ARG",
                                "0"),
                        List.of(),
                        "--model-store",
                        repo.root.toString(),
                        "--otlp-endpoint",
                        collector.endpoint(),
                        "--otlp-protocol",
                        "grpc")) {
            Http http = new Http(pier.httpPort());
            String body = ProductionServingEndToEndTest.mlpBody(new float[][] {{1, 2, 3, 4, 5, 6}});
            for (int i = 0; i < 3; i++) {
                assertThat(http.post("/v2/models/mlp/infer", body).status())
                        .isEqualTo(200); // no traceparent: not sampled
            }
            Http.Answer traced = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pier.httpPort() + "/v2/models/mlp/infer"))
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .header("Content-Type", "application/json")
                            .header("traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01"));
            assertThat(traced.status()).isEqualTo(200);
            List<Span> spans;
            try {
                spans = awaitTrace(collector, TRACE, 1 + CHILDREN.size());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\npier's output:\n" + pier.output(), e);
            }
            Span root = only(spans, "POST /v2/models/{model}/infer");
            assertThat(hex(root.getParentSpanId())).isEqualTo(CALLER_SPAN);
            checkChildren(spans, root);
            assertThat(collector.spans())
                    .as("only the caller-sampled request was exported")
                    .allSatisfy(s -> assertThat(hex(s.getTraceId())).isEqualTo(TRACE));
            assertThat(collector.exports().getFirst().getResourceSpans(0).getResource().getAttributesList().stream()
                            .filter(kv -> kv.getKey().equals("service.name"))
                            .findFirst()
                            .orElseThrow()
                            .getValue()
                            .getStringValue())
                    .isEqualTo("pier");
        }
    }

    private static void checkChildren(List<Span> spans, Span root) {
        for (String name : CHILDREN) {
            Span child = only(spans, name);
            assertThat(child.getParentSpanId()).as("%s's parent", name).isEqualTo(root.getSpanId());
            assertThat(child.getTraceId()).isEqualTo(root.getTraceId());
            assertThat(attributes(child))
                    .as(name)
                    .containsEntry("pier.model", "mlp")
                    .containsEntry("pier.model.version", "2");
            assertThat(child.getStartTimeUnixNano())
                    .as("%s starts within the request", name)
                    .isBetween(root.getStartTimeUnixNano(), root.getEndTimeUnixNano());
            assertThat(child.getEndTimeUnixNano())
                    .as("%s ends within the request", name)
                    .isBetween(child.getStartTimeUnixNano(), root.getEndTimeUnixNano());
        }
        // the stages follow one another
        assertThat(only(spans, "decode").getEndTimeUnixNano())
                .isLessThanOrEqualTo(only(spans, "queue").getStartTimeUnixNano());
        assertThat(only(spans, "queue").getEndTimeUnixNano())
                .isLessThanOrEqualTo(only(spans, "batch execution").getStartTimeUnixNano());
        assertThat(only(spans, "batch execution").getEndTimeUnixNano())
                .isLessThanOrEqualTo(only(spans, "encode").getStartTimeUnixNano());
    }

    private static void grpcInfer(int port) throws InterruptedException {
        Metadata headers = new Metadata();
        headers.put(
                Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
                "00-" + GRPC_TRACE + "-" + GRPC_CALLER_SPAN + "-01");
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
                .build();
        try {
            java.nio.ByteBuffer raw = java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 1; i <= 6; i++) {
                raw.putFloat(i);
            }
            ModelInferRequest request = ModelInferRequest.newBuilder()
                    .setModelName("mlp")
                    .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                            .setName("x")
                            .setDatatype("FP32")
                            .addShape(1)
                            .addShape(6))
                    .addRawInputContents(ByteString.copyFrom(raw.array()))
                    .build();
            ModelInferResponse answer = io.grpc.stub.ClientCalls.blockingUnaryCall(
                    channel,
                    io.grpc.MethodDescriptor.<ModelInferRequest, ModelInferResponse>newBuilder()
                            .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
                            .setFullMethodName("inference.GRPCInferenceService/ModelInfer")
                            .setRequestMarshaller(
                                    io.grpc.protobuf.ProtoUtils.marshaller(ModelInferRequest.getDefaultInstance()))
                            .setResponseMarshaller(
                                    io.grpc.protobuf.ProtoUtils.marshaller(ModelInferResponse.getDefaultInstance()))
                            .build(),
                    io.grpc.CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS),
                    request);
            assertThat(answer.getModelName()).isEqualTo("mlp");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static List<Span> awaitTrace(OtlpReceiver collector, String traceId, int atLeast)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<Span> spans;
        while ((spans = collector.spans().stream()
                                        .filter(s -> hex(s.getTraceId()).equals(traceId))
                                        .toList())
                                .size()
                        < atLeast
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(spans)
                .as("spans of trace %s received: %s", traceId, collector.spans())
                .hasSizeGreaterThanOrEqualTo(atLeast);
        return spans;
    }

    private static String awaitLogged(Path dir, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        String content = Files.readString(f);
                        if (content.contains(text)) {
                            return content;
                        }
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no prediction-log record with " + text + " in " + dir);
    }

    private static Span only(List<Span> spans, String name) {
        List<Span> named = spans.stream().filter(s -> s.getName().equals(name)).toList();
        assertThat(named)
                .as(
                        "spans named '%s' among %s",
                        name, spans.stream().map(Span::getName).toList())
                .hasSize(1);
        return named.getFirst();
    }

    private static Map<String, String> attributes(Span span) {
        return span.getAttributesList().stream()
                .collect(java.util.stream.Collectors.toMap(
                        KeyValue::getKey, kv -> switch (kv.getValue().getValueCase()) {
                            case INT_VALUE -> Long.toString(kv.getValue().getIntValue());
                            case BOOL_VALUE -> Boolean.toString(kv.getValue().getBoolValue());
                            default -> kv.getValue().getStringValue();
                        }));
    }

    private static String hex(ByteString id) {
        return HexFormat.of().formatHex(id.toByteArray());
    }
}
