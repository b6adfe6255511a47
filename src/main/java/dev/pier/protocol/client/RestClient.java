package dev.pier.protocol.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.UnavailableException;
import dev.pier.protocol.ErrorMapper;
import dev.pier.protocol.codec.Json;
import dev.pier.protocol.kserve.V2Codec;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * A blocking REST client for a Pier (or any KServe V2 / TF Serving) server. Thread-safe: one instance can be
 * shared; it wraps one JDK {@link HttpClient} (HTTP/1.1, which every server speaks).
 */
public final class RestClient {
    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    /** @param base for instance {@code http://localhost:8080} */
    public RestClient(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    /** V2 inference; with {@code binary} the inputs travel and the outputs come back in the binary extension. */
    public InferResponse inferV2(InferRequest request, boolean binary) {
        InferRequest toSend = request;
        if (binary && !Boolean.TRUE.equals(request.parameters().get("binary_data_output"))) {
            var params = new java.util.LinkedHashMap<>(request.parameters());
            params.put("binary_data_output", Boolean.TRUE);
            toSend = new InferRequest(
                    request.id(), request.model(), request.version(), request.inputs(), request.outputs(), params);
        }
        V2Codec.Encoded body = V2Codec.encodeRequest(toSend, binary);
        HttpRequest.Builder b = HttpRequest.newBuilder(resolve(v2Path(request.model(), request.version()) + "/infer"))
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.body()));
        if (body.binary()) {
            b.header("Content-Type", "application/octet-stream")
                    .header(V2Codec.HEADER_LENGTH, Integer.toString(body.jsonLength()));
        } else {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<byte[]> response = send(b.build());
        int jsonLength = response.headers()
                .firstValue(V2Codec.HEADER_LENGTH)
                .map(Integer::parseInt)
                .orElse(-1);
        return V2Codec.decodeResponse(response.body(), jsonLength);
    }

    /** TF Serving predict with a JSON body as the user wrote it; returns the JSON answer. */
    public String predictTf(String model, OptionalLong version, String json) {
        String path = "/v1/models/" + enc(model) + (version.isPresent() ? "/versions/" + version.getAsLong() : "")
                + ":predict";
        HttpRequest req = HttpRequest.newBuilder(resolve(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return new String(send(req).body(), StandardCharsets.UTF_8);
    }

    /** GET of any path (metadata, status); returns the body of a 2xx answer. */
    public String get(String path) {
        HttpRequest req =
                HttpRequest.newBuilder(resolve(path)).timeout(timeout).GET().build();
        return new String(send(req).body(), StandardCharsets.UTF_8);
    }

    /** True when a V2 health or readiness path answers 200. */
    public boolean isOk(String path) {
        HttpRequest req =
                HttpRequest.newBuilder(resolve(path)).timeout(timeout).GET().build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String v2Path(String model, OptionalLong version) {
        return "/v2/models/" + enc(model) + (version.isPresent() ? "/versions/" + version.getAsLong() : "");
    }

    private URI resolve(String path) {
        return base.resolve(path);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpResponse<byte[]> send(HttpRequest req) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UnavailableException("cannot reach " + req.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while calling " + req.uri(), e);
        }
        if (response.statusCode() / 100 != 2) {
            throw ErrorMapper.fromHttp(response.statusCode(), errorMessage(response.body()));
        }
        return response;
    }

    /** The "error" field of an error body, or the body itself when it is not that shape. */
    static String errorMessage(byte[] body) {
        try (JsonParser p = Json.FACTORY.createParser(body)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    if ("error".equals(p.currentName()) && p.nextToken() == JsonToken.VALUE_STRING) {
                        return p.getText();
                    }
                    p.nextToken();
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            // not JSON: fall through
        }
        return new String(body, StandardCharsets.UTF_8);
    }
}
