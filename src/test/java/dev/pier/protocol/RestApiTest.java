package dev.pier.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.DataType;
import dev.pier.api.Shape;
import dev.pier.api.TensorSpec;
import dev.pier.api.UnavailableException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The REST router over real HTTP (port 0) against the echo test double: every endpoint and every bad input. */
class RestApiTest {
    private static final int LIMIT = 16 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static Vertx vertx;
    private static HttpServer server;
    private static EchoInferenceService service;
    private static HttpClient http;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        service = new EchoInferenceService()
                .model(
                        "echo",
                        List.of(
                                new TensorSpec("x", DataType.FP32, Shape.of(-1, 3)),
                                new TensorSpec("s", DataType.BYTES, Shape.of(-1))),
                        List.of(
                                new TensorSpec("y", DataType.FP32, Shape.of(-1, 3)),
                                new TensorSpec("t", DataType.BYTES, Shape.of(-1))))
                .model(
                        "mnist",
                        List.of(new TensorSpec("image", DataType.FP32, Shape.of(-1, 4))),
                        List.of(new TensorSpec("probs", DataType.FP32, Shape.of(-1, 4))));
        server = vertx.createHttpServer()
                .requestHandler(
                        RestApi.router(vertx, service, RestOptions.defaults().withMaxBodyBytes(LIMIT)))
                .listen(0)
                .toCompletionStage()
                .toCompletableFuture()
                .get();
        base = "http://localhost:" + server.actualPort();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
        service.close();
    }

    @AfterEach
    void reset() {
        service.live = true;
        service.ready = true;
        service.failure = null;
        service.completesInline = false;
    }

    private static HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return send("GET", path, null);
    }

    private static HttpResponse<byte[]> post(String path, String json, String... headers) throws Exception {
        return send("POST", path, json.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        return MAPPER.readTree(r.body());
    }

    private static void assertError(HttpResponse<byte[]> r, int status, String... fragments) throws IOException {
        assertThat(r.statusCode())
                .as(new String(r.body(), StandardCharsets.UTF_8))
                .isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        String error = json(r).get("error").asText();
        for (String f : fragments) {
            assertThat(error).contains(f);
        }
    }

    private static final String ECHO_BODY = """
            {"id":"req-1","inputs":[{"name":"x","shape":[2,3],"datatype":"FP32","data":[[1,2,3],[4,5,6.5]]},
            {"name":"s","shape":[1],"datatype":"BYTES","data":["zebra"]}]}""";

    @Test
    void healthEndpointsAnswer200Or503() throws Exception {
        assertThat(get("/v2/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/v2/health/ready").statusCode()).isEqualTo(200);
        service.ready = false;
        assertThat(get("/v2/health/ready").statusCode()).isEqualTo(503);
        assertError(get("/v2/models/echo/ready"), 503, "not ready");
        service.live = false;
        assertThat(get("/v2/health/live").statusCode()).isEqualTo(503);
    }

    @Test
    void serverAndModelMetadata() throws Exception {
        JsonNode server = json(get("/v2"));
        assertThat(server.get("name").asText()).isEqualTo("pier");
        assertThat(server.get("version").asText()).isEqualTo(RestOptions.DEFAULT_VERSION);
        assertThat(server.get("extensions").toString()).contains("binary_tensor_data");

        for (String path : List.of("/v2/models/echo", "/v2/models/echo/versions/3")) {
            JsonNode m = json(get(path));
            assertThat(m.get("name").asText()).isEqualTo("echo");
            assertThat(m.get("versions").get(0).asText()).isEqualTo("3");
            assertThat(m.get("platform").asText()).isEqualTo("onnxruntime_onnx");
            assertThat(m.get("inputs").get(0).toString())
                    .isEqualTo("{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[-1,3]}");
            assertThat(m.get("outputs").get(1).toString())
                    .isEqualTo("{\"name\":\"t\",\"datatype\":\"BYTES\",\"shape\":[-1]}");
        }
        assertThat(get("/v2/models/echo/ready").statusCode()).isEqualTo(200);
        assertThat(get("/v2/models/echo/versions/3/ready").statusCode()).isEqualTo(200);
        // issue 14 item 6: readiness of a model or version the server does not know is 404 with a JSON reason
        assertError(get("/v2/models/echo/versions/4/ready"), 404, "4");
        assertError(get("/v2/models/nope/ready"), 404, "'nope'");
        assertError(get("/v2/models/nope"), 404, "'nope'");
        assertError(get("/v2/models/echo/versions/9"), 404, "9");
        assertError(get("/v2/models/echo/versions/abc"), 400, "version", "'abc'");
    }

    @Test
    void infersJsonAndEchoesTheId() throws Exception {
        for (String path : List.of("/v2/models/echo/infer", "/v2/models/echo/versions/3/infer")) {
            HttpResponse<byte[]> r = post(path, ECHO_BODY, "Content-Type", "application/json");
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = json(r);
            assertThat(body.get("model_name").asText()).isEqualTo("echo");
            assertThat(body.get("model_version").asText()).isEqualTo("3");
            assertThat(body.get("id").asText()).isEqualTo("req-1");
            JsonNode y = body.get("outputs").get(0);
            assertThat(y.get("name").asText()).isEqualTo("y");
            assertThat(y.get("datatype").asText()).isEqualTo("FP32");
            assertThat(y.get("shape").toString()).isEqualTo("[2,3]");
            assertThat(y.get("data").toString()).isEqualTo("[1.0,2.0,3.0,4.0,5.0,6.5]");
            assertThat(body.get("outputs").get(1).get("data").get(0).asText()).isEqualTo("zebra");
        }
        // no content type means JSON; curl -d sends form-urlencoded and must work too
        assertThat(post("/v2/models/echo/infer", ECHO_BODY).statusCode()).isEqualTo(200);
        assertThat(post("/v2/models/echo/infer", ECHO_BODY, "Content-Type", "application/x-www-form-urlencoded")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void requestedOutputsFilterTheAnswer() throws Exception {
        String body = ECHO_BODY.replace("\"id\":\"req-1\",", "\"id\":\"req-1\",\"outputs\":[{\"name\":\"t\"}],");
        JsonNode r = json(post("/v2/models/echo/infer", body));
        assertThat(r.get("outputs")).hasSize(1);
        assertThat(r.get("outputs").get(0).get("name").asText()).isEqualTo("t");
    }

    @Test
    void infersWithTheBinaryTensorExtension() throws Exception {
        String header = "{\"parameters\":{\"binary_data_output\":true},\"inputs\":["
                + "{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":12}},"
                + "{\"name\":\"s\",\"shape\":[2],\"datatype\":\"BYTES\",\"parameters\":{\"binary_data_size\":13}}]}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer floats = ByteBuffer.allocate(12)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(1.5f)
                .putFloat(-2f)
                .putFloat(3f);
        ByteBuffer strings = ByteBuffer.allocate(13)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(3)
                .put("abc".getBytes(StandardCharsets.UTF_8))
                .putInt(2)
                .put("de".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(json);
        body.writeBytes(floats.array());
        body.writeBytes(strings.array());
        HttpResponse<byte[]> r = send(
                "POST",
                "/v2/models/echo/infer",
                body.toByteArray(),
                "Content-Type",
                "application/octet-stream",
                "Inference-Header-Content-Length",
                Integer.toString(json.length));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        int jsonLength = Integer.parseInt(
                r.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode head = MAPPER.readTree(Arrays.copyOf(r.body(), jsonLength));
        assertThat(head.get("outputs")
                        .get(0)
                        .get("parameters")
                        .get("binary_data_size")
                        .asInt())
                .isEqualTo(12);
        assertThat(head.get("outputs").get(0).has("data")).isFalse();
        assertThat(head.get("outputs")
                        .get(1)
                        .get("parameters")
                        .get("binary_data_size")
                        .asInt())
                .isEqualTo(13);
        byte[] tail = Arrays.copyOfRange(r.body(), jsonLength, r.body().length);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(floats.array());
        expected.writeBytes(strings.array());
        assertThat(tail).containsExactly(expected.toByteArray());
    }

    @Test
    void everyBadInferRequestGetsA4xxNamingTheProblem() throws Exception {
        String path = "/v2/models/echo/infer";
        assertError(post(path, "{\"inputs\": [", "Content-Type", "application/json"), 400, "malformed JSON");
        assertError(post(path, "[1,2]"), 400, "JSON object");
        assertError(
                post(path, ECHO_BODY.replace("\"FP32\"", "\"INT32\"").replace("6.5", "6")),
                400,
                "'x'",
                "FP32",
                "INT32");
        assertError(post(path, ECHO_BODY.replace("\"FP32\"", "\"FLOAT32\"")), 400, "'x'", "FLOAT32", "FP32");
        assertError(post(path, ECHO_BODY.replace("[2,3]", "[2,4]")), 400, "'x'", "[2, 4]", "6");
        assertError(post(path, ECHO_BODY.replace("[2,3]", "[3,2]")), 400, "'x'", "[-1, 3]", "[3, 2]");
        assertError(post(path, ECHO_BODY.replace("\"name\":\"s\"", "\"name\":\"q\"")), 400, "'q'");
        assertError(
                post(path, "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}"),
                400,
                "missing input 's'");
        assertError(post(path, ECHO_BODY.replace("6.5", "\"six\"")), 400, "'x'", "number", "\"six\"");
        assertError(post("/v2/models/nope/infer", ECHO_BODY), 404, "'nope'");
        assertError(post("/v2/models/echo/versions/7/infer", ECHO_BODY), 404, "7");
        assertError(post(path, ECHO_BODY, "Content-Type", "text/xml"), 415, "text/xml", "application/json");
        assertError(
                post(path, ECHO_BODY, "Inference-Header-Content-Length", "lots"),
                400,
                "Inference-Header-Content-Length",
                "'lots'");
        byte[] big = new byte[LIMIT + 1];
        Arrays.fill(big, (byte) ' ');
        assertError(send("POST", path, big, "Content-Type", "application/json"), 413, String.valueOf(LIMIT));
        assertError(get(path), 405, "GET");
        assertError(get("/v2/nothing/here"), 404, "/v2/nothing/here");
    }

    @Test
    void concurrentRequestsEachGetTheirOwnAnswer() throws Exception {
        List<java.util.concurrent.CompletableFuture<HttpResponse<byte[]>>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String body = ECHO_BODY.replace("req-1", "req-" + i).replace("6.5", Integer.toString(i));
            calls.add(http.sendAsync(
                    HttpRequest.newBuilder(URI.create(base + "/v2/models/echo/infer"))
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (int i = 0; i < calls.size(); i++) {
            JsonNode r = json(calls.get(i).get());
            assertThat(r.get("id").asText()).isEqualTo("req-" + i);
            assertThat(r.get("outputs").get(0).get("data").get(5).asDouble()).isEqualTo(i);
        }
    }

    @Test
    void chunkedBodiesOverTheLimitGet413() throws Exception {
        byte[] big = new byte[LIMIT * 4];
        Arrays.fill(big, (byte) ' ');
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/v2/models/echo/infer"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .build();
        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        assertError(r, 413, String.valueOf(LIMIT));
        assertThat(post("/v2/models/echo/infer", ECHO_BODY).statusCode()).isEqualTo(200);
    }

    @Test
    void answersInferencesCompletedOnTheRequestsOwnEventLoop() throws Exception {
        service.completesInline = true;
        String header = "{\"parameters\":{\"binary_data_output\":true},\"inputs\":["
                + "{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":12}},"
                + "{\"name\":\"s\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"q\"]}]}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        byte[] floats = ByteBuffer.allocate(12)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(-0f)
                .putFloat(1e-45f)
                .putFloat(7f)
                .array();
        byte[] body = Arrays.copyOf(json, json.length + floats.length);
        System.arraycopy(floats, 0, body, json.length, floats.length);
        HttpResponse<byte[]> r = send(
                "POST",
                "/v2/models/echo/infer",
                body,
                "Content-Type",
                "application/octet-stream",
                "Inference-Header-Content-Length",
                Integer.toString(json.length));
        assertThat(r.statusCode()).isEqualTo(200);
        int jsonLength = Integer.parseInt(
                r.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        byte[] expected = ByteBuffer.allocate(12 + 5)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put(floats)
                .putInt(1)
                .put((byte) 'q')
                .array();
        assertThat(Arrays.copyOfRange(r.body(), jsonLength, r.body().length)).containsExactly(expected);
        HttpResponse<byte[]> tf = post("/v1/models/mnist:predict", "{\"instances\":[[1,2,3,4]]}");
        assertThat(new String(tf.body(), StandardCharsets.UTF_8)).isEqualTo("{\"predictions\":[[1.0,2.0,3.0,4.0]]}");
        service.failure = new UnavailableException("draining");
        assertError(post("/v2/models/echo/infer", ECHO_BODY), 503, "draining");
        assertError(post("/v1/models/mnist:predict", "{\"instances\":[[1,2,3,4]]}"), 503, "draining");
    }

    @Test
    void serviceFailuresKeepTheirStatus() throws Exception {
        service.failure = new UnavailableException("queue for model 'echo' is full (64 waiting)");
        assertError(post("/v2/models/echo/infer", ECHO_BODY), 503, "queue", "full");
    }

    @Test
    void tfServingStatusAndMetadata() throws Exception {
        JsonNode status = json(get("/v1/models/mnist"));
        assertThat(status.get("model_version_status").get(0).toString())
                .isEqualTo(
                        "{\"version\":\"3\",\"state\":\"AVAILABLE\",\"status\":{\"error_code\":\"OK\",\"error_message\":\"\"}}");
        assertThat(status.get("model_version_status").get(1).get("state").asText())
                .isEqualTo("END");
        assertThat(status.get("model_version_status")
                        .get(1)
                        .get("status")
                        .get("error_message")
                        .asText())
                .isEqualTo("bad onnx file");
        assertThat(json(get("/v1/models/mnist/versions/3")).get("model_version_status"))
                .hasSize(1);
        JsonNode meta = json(get("/v1/models/mnist/metadata"));
        assertThat(meta.get("model_spec").get("version").asText()).isEqualTo("3");
        JsonNode input = meta.at("/metadata/signature_def/signature_def/serving_default/inputs/image");
        assertThat(input.get("dtype").asText()).isEqualTo("DT_FLOAT");
        assertThat(input.at("/tensor_shape/dim/1/size").asText()).isEqualTo("4");
        assertThat(json(get("/v1/models/mnist/versions/3/metadata"))
                        .get("model_spec")
                        .get("name")
                        .asText())
                .isEqualTo("mnist");
        assertError(get("/v1/models/nope"), 404, "'nope'");
        assertError(get("/v1/models/mnist/versions/8"), 404, "8");
    }

    @Test
    void tfServingPredictRowAndColumnar() throws Exception {
        HttpResponse<byte[]> row = post(
                "/v1/models/mnist:predict",
                "{\"signature_name\":\"serving_default\",\"instances\":[[0.5,1,NaN,-Infinity],[1,2,3,4]]}");
        assertThat(row.statusCode()).isEqualTo(200);
        assertThat(new String(row.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"predictions\":[[0.5,1.0,NaN,-Infinity],[1.0,2.0,3.0,4.0]]}");
        HttpResponse<byte[]> col = post("/v1/models/mnist/versions/3:predict", "{\"inputs\":{\"image\":[[1,2,3,4]]}}");
        assertThat(new String(col.body(), StandardCharsets.UTF_8)).isEqualTo("{\"outputs\":[[1.0,2.0,3.0,4.0]]}");
        assertThat(service.lastRequest.get().version()).hasValue(3);
    }

    @Test
    void tfServingBadRequests() throws Exception {
        assertError(
                post("/v1/models/mnist:predict", "{\"signature_name\":\"train\",\"instances\":[[1,2,3,4]]}"),
                400,
                "'train'");
        assertError(post("/v1/models/mnist:predict", "{\"instances\":[[1,2,3]]}"), 400, "'image'", "[1, 3]");
        assertError(post("/v1/models/mnist:predict", "{\"instances\":[[1,2,3,4],[1]]}"), 400, "'image'", "ragged");
        assertError(post("/v1/models/mnist:predict", "{\"instances\":[[1,2,3,4]"), 400, "malformed JSON");
        assertError(post("/v1/models/nope:predict", "{\"instances\":[[1]]}"), 404, "'nope'");
        assertError(post("/v1/models/mnist/labels/stable:predict", "{\"instances\":[[1]]}"), 404, "stable");
        assertError(post("/v1/models/mnist:classify", "{\"examples\":[]}"), 400, "classify");
        assertError(post("/v1/models/mnist:explode", "{}"), 404, ":explode");
        assertError(get("/v1/models/mnist:predict"), 405, "GET", "POST");
        assertError(
                post("/v1/models/mnist:predict", "<x/>", "Content-Type", "application/xml"), 415, "application/xml");
    }
}
