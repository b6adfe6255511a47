package dev.pier.predict;

import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.protocol.client.GrpcV2Client;
import dev.pier.protocol.client.RestClient;
import io.vertx.core.Vertx;
import java.net.URI;

/**
 * The connection {@code pier predict} talks over: a {@link RestClient} for V2 and TF Serving REST, or a
 * {@link GrpcV2Client} on a private Vert.x instance for gRPC. Not shared; close it to release the connection
 * and (for gRPC) the Vert.x threads.
 */
final class PredictTransport implements AutoCloseable {
    static final String DEFAULT_REST_URL = "http://localhost:8501";
    static final int DEFAULT_GRPC_PORT = 8500;

    private final PredictOptions options;
    private final RestClient rest;
    private final Vertx vertx;
    private final GrpcV2Client grpc;

    PredictTransport(PredictOptions options) {
        this.options = options;
        if (options.protocol() == PredictOptions.Protocol.GRPC) {
            URI target = grpcTarget(options.url());
            this.rest = null;
            this.vertx = Vertx.vertx();
            this.grpc = new GrpcV2Client(vertx, target.getHost(), target.getPort());
        } else {
            this.rest = new RestClient(restBase(options.url()), options.timeout());
            this.vertx = null;
            this.grpc = null;
        }
    }

    /** {@code host:port}, {@code grpc://host:port} or an http URL, with port 8500 when none is given. */
    static URI grpcTarget(String url) {
        String text = url == null || url.isBlank() ? "localhost:" + DEFAULT_GRPC_PORT : url.strip();
        if (!text.contains("://")) {
            text = "grpc://" + text;
        }
        URI uri = parse(text);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "--url '" + url + "' names no host; expected host:port or grpc://host:port");
        }
        return URI.create("grpc://" + uri.getHost() + ":" + (uri.getPort() < 0 ? DEFAULT_GRPC_PORT : uri.getPort()));
    }

    /** {@code http(s)://host[:port]}; a bare {@code host:port} gets http://. */
    static URI restBase(String url) {
        String text = url == null || url.isBlank() ? DEFAULT_REST_URL : url.strip();
        if (!text.contains("://")) {
            text = "http://" + text;
        }
        URI uri = parse(text);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--url '" + url + "' is not a REST address; expected http://host:port");
        }
        return uri;
    }

    private static URI parse(String text) {
        try {
            return URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--url '" + text + "' is not a valid address: " + e.getMessage());
        }
    }

    RemoteModel metadata() {
        String version =
                options.version().isPresent() ? Long.toString(options.version().getAsLong()) : "";
        String v2Path = "/v2/models/" + enc(options.model()) + (version.isEmpty() ? "" : "/versions/" + version);
        return switch (options.protocol()) {
            case GRPC -> RemoteModel.fromProto(grpc.modelMetadata(options.model(), version));
            case V2 -> RemoteModel.fromV2Json(rest.get(v2Path));
            case TFSERVING -> {
                // a Pier server answers V2 metadata (with properties); a TF Serving server only its own
                try {
                    yield RemoteModel.fromV2Json(rest.get(v2Path));
                } catch (dev.pier.api.ModelNotFoundException e) {
                    yield RemoteModel.fromTfJson(rest.get("/v1/models/" + enc(options.model())
                            + (version.isEmpty() ? "" : "/versions/" + version) + "/metadata"));
                }
            }
        };
    }

    InferResponse infer(InferRequest request) {
        return options.protocol() == PredictOptions.Protocol.GRPC
                ? grpc.infer(request)
                : rest.inferV2(request, options.binary());
    }

    String predictTf(String body) {
        return rest.predictTf(options.model(), options.version(), body);
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    @Override
    public void close() {
        if (grpc != null) {
            try {
                grpc.close();
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().join();
            }
        }
    }
}
