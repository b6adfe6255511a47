package dev.pier.e2e;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A minimal OpenTelemetry collector for tests: accepts OTLP/HTTP protobuf exports on {@code POST /v1/traces}, or
 * with {@link #grpc()} OTLP/gRPC calls of {@code opentelemetry.proto.collector.trace.v1.TraceService/Export}
 * served by grpc-java (as the OpenTelemetry Collector's Go gRPC server does: HTTP/2 with prior knowledge, no
 * upgrade), on 127.0.0.1 at any free port, and keeps every span, decoded with the real OTLP protobuf classes
 * ({@code io.opentelemetry.proto:opentelemetry-proto}), along with each batch's resource.
 */
final class OtlpReceiver implements AutoCloseable {
    private final HttpServer server;
    private final io.grpc.Server grpcServer;
    private final List<ExportTraceServiceRequest> exports = new CopyOnWriteArrayList<>();

    /** An OTLP/gRPC receiver. */
    static OtlpReceiver grpc() throws IOException {
        return new OtlpReceiver(true);
    }

    private OtlpReceiver(boolean grpc) throws IOException {
        server = null;
        io.grpc.MethodDescriptor<ExportTraceServiceRequest, ExportTraceServiceResponse> export =
                io.grpc.MethodDescriptor.<ExportTraceServiceRequest, ExportTraceServiceResponse>newBuilder()
                        .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
                        .setFullMethodName("opentelemetry.proto.collector.trace.v1.TraceService/Export")
                        .setRequestMarshaller(
                                io.grpc.protobuf.ProtoUtils.marshaller(ExportTraceServiceRequest.getDefaultInstance()))
                        .setResponseMarshaller(
                                io.grpc.protobuf.ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance()))
                        .build();
        grpcServer = io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(
                        new InetSocketAddress("127.0.0.1", 0))
                .addService(io.grpc.ServerServiceDefinition.builder(
                                "opentelemetry.proto.collector.trace.v1.TraceService")
                        .addMethod(export, io.grpc.stub.ServerCalls.asyncUnaryCall((request, answer) -> {
                            exports.add(request);
                            answer.onNext(ExportTraceServiceResponse.getDefaultInstance());
                            answer.onCompleted();
                        }))
                        .build())
                .build()
                .start();
    }

    /** An OTLP/HTTP receiver. */
    OtlpReceiver() throws IOException {
        grpcServer = null;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", exchange -> {
            try (InputStream raw = exchange.getRequestBody()) {
                InputStream in =
                        "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                                ? new GZIPInputStream(raw)
                                : raw;
                if (!"POST".equals(exchange.getRequestMethod())
                        || !String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"))
                                .startsWith("application/x-protobuf")) {
                    exchange.sendResponseHeaders(415, -1);
                    return;
                }
                exports.add(ExportTraceServiceRequest.parseFrom(in));
                byte[] ok = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, ok.length == 0 ? -1 : ok.length);
                exchange.getResponseBody().write(ok);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + (server != null ? server.getAddress().getPort() : grpcServer.getPort());
    }

    List<ExportTraceServiceRequest> exports() {
        return exports;
    }

    List<Span> spans() {
        return exports.stream()
                .flatMap(e -> e.getResourceSpansList().stream())
                .flatMap(r -> r.getScopeSpansList().stream())
                .flatMap(s -> s.getSpansList().stream())
                .toList();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        } else {
            grpcServer.shutdownNow();
        }
    }
}
