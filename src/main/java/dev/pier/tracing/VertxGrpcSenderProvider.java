package dev.pier.tracing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderConfig;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * OTLP/gRPC for the OpenTelemetry SDK's exporter without OkHttp or grpc-java: the SDK looks senders up with
 * {@link java.util.ServiceLoader} ({@code META-INF/services}), and the JDK-HttpClient sender Pier uses for
 * OTLP/HTTP cannot speak gRPC (no HTTP/2 without TLS other than by upgrade, which gRPC servers refuse, and no
 * trailers, where gRPC puts its status). This one sends each export as one unary gRPC call over a Vert.x
 * HTTP/2 client (cleartext with prior knowledge for {@code http://}, ALPN for {@code https://} with the JVM's
 * trusted certificates) on a Vert.x instance of its own with one event loop, away from the serving event loops.
 * One attempt per export: the batch span processor drops a batch that fails, and the SDK logs it.
 */
public final class VertxGrpcSenderProvider implements GrpcSenderProvider {
    @Override
    public GrpcSender createSender(GrpcSenderConfig config) {
        return new Sender(config);
    }

    private static final class Sender implements GrpcSender {
        private final GrpcSenderConfig config;
        private final Vertx vertx;
        private final HttpClient client;
        private final String host;
        private final int port;

        Sender(GrpcSenderConfig config) {
            this.config = config;
            URI endpoint = config.getEndpoint();
            boolean tls = "https".equalsIgnoreCase(endpoint.getScheme());
            int port = endpoint.getPort() > 0 ? endpoint.getPort() : tls ? 443 : 80;
            this.vertx = Vertx.vertx(new VertxOptions()
                    .setEventLoopPoolSize(1)
                    .setWorkerPoolSize(1)
                    .setInternalBlockingPoolSize(1));
            this.client = vertx.createHttpClient(new HttpClientOptions()
                    .setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false)
                    .setSsl(tls)
                    .setUseAlpn(tls)
                    .setConnectTimeout((int) Math.min(
                            Integer.MAX_VALUE, config.getConnectTimeout().toMillis())));
            this.host = endpoint.getHost();
            this.port = port;
        }

        @Override
        public void send(MessageWriter writer, Consumer<GrpcResponse> onResponse, Consumer<Throwable> onError) {
            Buffer frame;
            try {
                frame = frame(writer, config.getCompressor());
            } catch (IOException | RuntimeException e) {
                onError.accept(e);
                return;
            }
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setHost(host)
                    .setPort(port)
                    .setURI("/" + config.getFullMethodName())
                    .setIdleTimeout(config.getTimeout().toMillis())
                    .putHeader("content-type", "application/grpc")
                    .putHeader("te", "trailers")
                    .putHeader("grpc-timeout", config.getTimeout().toMillis() + "m");
            if (config.getCompressor() != null) {
                options.putHeader("grpc-encoding", config.getCompressor().getEncoding());
            }
            Map<String, List<String>> headers = config.getHeadersSupplier() == null
                    ? null
                    : config.getHeadersSupplier().get();
            if (headers != null) {
                headers.forEach((name, values) -> values.forEach(v -> options.addHeader(name, v)));
            }
            client.request(options)
                    .compose(request -> request.send(frame))
                    .compose(response -> response.body().map(body -> answer(response, body)))
                    .onSuccess(onResponse::accept)
                    .onFailure(onError::accept);
        }

        /** A gRPC length-prefixed message: compressed flag, big-endian length, the (compressed) protobuf. */
        private static Buffer frame(MessageWriter writer, Compressor compressor) throws IOException {
            ByteArrayOutputStream message = new ByteArrayOutputStream(Math.max(64, writer.getContentLength()));
            if (compressor == null) {
                writer.writeMessage(message);
            } else {
                try (OutputStream out = compressor.compress(message)) {
                    writer.writeMessage(out);
                }
            }
            byte[] bytes = message.toByteArray();
            return Buffer.buffer(bytes.length + 5)
                    .appendByte((byte) (compressor == null ? 0 : 1))
                    .appendInt(bytes.length)
                    .appendBytes(bytes);
        }

        private static GrpcResponse answer(HttpClientResponse response, Buffer body) {
            // the status is in the trailers, or in the headers of a trailers-only answer
            String status = response.getTrailer("grpc-status");
            String message = response.getTrailer("grpc-message");
            if (status == null) {
                status = response.getHeader("grpc-status");
                message = response.getHeader("grpc-message");
            }
            GrpcStatusCode code;
            if (status != null) {
                code = parse(status);
            } else {
                code = switch (response.statusCode()) {
                    case 200 -> GrpcStatusCode.UNKNOWN; // an HTTP/2 answer without a gRPC status
                    case 401 -> GrpcStatusCode.UNAUTHENTICATED;
                    case 403 -> GrpcStatusCode.PERMISSION_DENIED;
                    case 404 -> GrpcStatusCode.UNIMPLEMENTED;
                    case 429, 502, 503, 504 -> GrpcStatusCode.UNAVAILABLE;
                    default -> GrpcStatusCode.UNKNOWN;
                };
                message = "HTTP " + response.statusCode() + " without grpc-status from "
                        + response.request().absoluteURI();
            }
            byte[] payload = body.length() >= 5 ? body.getBytes(5, body.length()) : new byte[0];
            String description =
                    message == null ? "" : URLDecoder.decode(message.replace("+", "%2B"), StandardCharsets.UTF_8);
            return new Answer(code, description, payload);
        }

        private static GrpcStatusCode parse(String status) {
            try {
                return GrpcStatusCode.fromValue(Integer.parseInt(status.trim()));
            } catch (RuntimeException e) {
                return GrpcStatusCode.UNKNOWN;
            }
        }

        @Override
        public CompletableResultCode shutdown() {
            CompletableResultCode done = new CompletableResultCode();
            client.close().eventually(vertx::close).onComplete(ar -> {
                if (ar.succeeded()) {
                    done.succeed();
                } else {
                    done.fail();
                }
            });
            return done;
        }
    }

    private record Answer(GrpcStatusCode status, String description, byte[] message) implements GrpcResponse {
        @Override
        public GrpcStatusCode getStatusCode() {
            return status;
        }

        @Override
        public String getStatusDescription() {
            return description;
        }

        @Override
        public byte[] getResponseMessage() {
            return message;
        }
    }
}
