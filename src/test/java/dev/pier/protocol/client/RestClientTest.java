package dev.pier.protocol.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.DataType;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelNotFoundException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import dev.pier.protocol.EchoInferenceService;
import dev.pier.protocol.RestApi;
import dev.pier.protocol.RestOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pier's REST client against the real router: V2 JSON and binary, TF Serving predict, typed errors. */
class RestClientTest {
    private static Vertx vertx;
    private static EchoInferenceService service;
    private static RestClient client;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        service = new EchoInferenceService()
                .model(
                        "echo",
                        List.of(
                                new TensorSpec("x", DataType.INT64, Shape.of(-1)),
                                new TensorSpec("s", DataType.BYTES, Shape.of(-1))),
                        List.of(
                                new TensorSpec("y", DataType.INT64, Shape.of(-1)),
                                new TensorSpec("t", DataType.BYTES, Shape.of(-1))));
        HttpServer server = vertx.createHttpServer()
                .requestHandler(RestApi.router(vertx, service, RestOptions.defaults()))
                .listen(0)
                .toCompletionStage()
                .toCompletableFuture()
                .get();
        client = new RestClient(URI.create("http://localhost:" + server.actualPort()), Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
        service.close();
    }

    private static InferRequest request(String model) {
        return new InferRequest(
                "id-9",
                model,
                OptionalLong.empty(),
                List.of(
                        Tensor.ofLongs("x", Shape.of(3), 1L << 40, -2, 3),
                        Tensor.ofStrings("s", Shape.of(2), "a", "bé")),
                List.of(),
                Map.of());
    }

    @Test
    void infersOverJsonAndOverTheBinaryExtension() {
        for (boolean binary : new boolean[] {false, true}) {
            InferResponse r = client.inferV2(request("echo"), binary);
            assertThat(r.id()).isEqualTo("id-9");
            assertThat(r.version()).isEqualTo(EchoInferenceService.VERSION);
            assertThat(r.outputs().get(0).name()).isEqualTo("y");
            assertThat(r.outputs().get(0).longs()).containsExactly(1L << 40, -2L, 3L);
            assertThat(r.outputs().get(1).strings()).containsExactly("a", "bé");
        }
    }

    @Test
    void tfServingPredictAndHealth() {
        assertThat(client.predictTf("echo", OptionalLong.empty(), "{\"inputs\":{\"x\":[4,5],\"s\":[\"p\",\"q\"]}}"))
                .isEqualTo("{\"outputs\":{\"y\":[4,5],\"t\":[\"p\",\"q\"]}}");
        assertThat(client.isOk("/v2/health/ready")).isTrue();
        assertThat(client.get("/v2/models/echo")).contains("\"name\":\"echo\"");
    }

    @Test
    void errorsComeBackTyped() {
        assertThatThrownBy(() -> client.inferV2(request("nope"), false))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("'nope'");
        assertThatThrownBy(() -> client.predictTf("echo", OptionalLong.empty(), "{\"inputs\":{\"z\":[1]}}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'z'");
    }
}
