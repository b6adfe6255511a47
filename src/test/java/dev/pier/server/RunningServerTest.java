package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.ModelState;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.modelcontrol.ModelControlOptions;
import dev.pier.onnx.Activation;
import dev.pier.onnx.DenseLayer;
import dev.pier.onnx.OnnxNetworks;
import dev.pier.serving.ServingOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunningServerTest {
    @TempDir
    Path root;

    private void model(String name) throws Exception {
        float[] w = new float[4 * 3];
        for (int i = 0; i < w.length; i++) {
            w[i] = i * 0.1f;
        }
        Path file = root.resolve(name).resolve("1").resolve("model.onnx");
        Files.createDirectories(file.getParent());
        OnnxNetworks.mlp(List.of(new DenseLayer(4, 3, w, new float[3], Activation.NONE)))
                .save(file);
    }

    private static ServerOptions loopback() {
        return new ServerOptions("127.0.0.1", 0, 0, ServerOptions.DEFAULT_MAX_BODY_BYTES, 1);
    }

    private static ModelState state(RunningServer server, String model) {
        return server.core().status(model, OptionalLong.empty()).getFirst().state();
    }

    /**
     * Bug of issue 13: under --model-control explicit the core was started by a copy of ServingCore.start that
     * dropped --lazy-load and --memory-budget-mb, so every startup model loaded at once, over any budget.
     */
    @Test
    void explicitModelControlAppliesLazyLoadingAndTheMemoryBudget() throws Exception {
        model("a");
        model("b");
        long fileSize = Files.size(root.resolve("a/1/model.onnx"));
        ServingOptions serving = ServingOptions.of(root, null).withMemory(fileSize + fileSize / 2, true);
        ServerSetup setup = ServerSetup.of(serving, loopback())
                .withControl(new ModelControlOptions(
                        ModelControlOptions.Mode.EXPLICIT,
                        ModelControlOptions.DEFAULT_POLL_INTERVAL,
                        List.of("a", "b")));
        try (RunningServer server = RunningServer.start(setup)) {
            assertThat(state(server, "a"))
                    .as("--lazy-load: nothing loads before a request")
                    .isEqualTo(ModelState.START);
            assertThat(state(server, "b")).isEqualTo(ModelState.START);
            assertThat(server.core().isReady())
                    .as("lazy models count as servable")
                    .isTrue();
            assertThat(infer(server, "a").version()).isEqualTo(1);
            assertThat(state(server, "a")).isEqualTo(ModelState.AVAILABLE);
            assertThat(infer(server, "b").version()).isEqualTo(1);
            server.core().manager().settled().get(30, TimeUnit.SECONDS);
            assertThat(state(server, "a"))
                    .as("the budget holds one model: loading b unloaded a")
                    .isEqualTo(ModelState.END);
            assertThat(state(server, "b")).isEqualTo(ModelState.AVAILABLE);
        }
    }

    /**
     * The in-flight body budget holds on every route that reads a body, the prediction routes of both protocols
     * and the routes other parts of the server add (repository control here), not only on the ones built first.
     */
    @Test
    void everyBodyReadingRouteDrawsOnTheInFlightBudget() throws Exception {
        model("a");
        IntakeLimits small = new IntakeLimits(
                1024,
                IntakeLimits.DEFAULT_HEADER_TIMEOUT,
                IntakeLimits.DEFAULT_BODY_IDLE_TIMEOUT,
                IntakeLimits.DEFAULT_KEEP_ALIVE_TIMEOUT,
                64,
                IntakeLimits.DEFAULT_MAX_STREAMS);
        ServerSetup setup = ServerSetup.of(
                        ServingOptions.of(root, null), loopback().withLimits(small))
                .withControl(new ModelControlOptions(
                        ModelControlOptions.Mode.EXPLICIT, ModelControlOptions.DEFAULT_POLL_INTERVAL, List.of("a")));
        try (RunningServer server = RunningServer.start(setup);
                java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient()) {
            byte[] body = new byte[4096];
            java.util.Arrays.fill(body, (byte) ' ');
            for (String path : List.of("/v2/models/a/infer", "/v1/models/a:predict", "/v2/repository/models/a/load")) {
                java.net.http.HttpResponse<String> answer = client.send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create("http://127.0.0.1:" + server.httpPort() + path))
                                .header("Content-Type", "application/json")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(path).isEqualTo(503);
                assertThat(answer.body()).as(path).contains("--max-inflight-body-bytes");
            }
        }
    }

    private static InferResponse infer(RunningServer server, String model) throws Exception {
        InferRequest request = new InferRequest(
                null,
                model,
                OptionalLong.empty(),
                List.of(Tensor.ofFloats("input", Shape.of(1, 4), 1, 2, 3, 4)),
                List.of(),
                Map.of());
        return server.core().infer(request).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /**
     * Bug of issue 13: PierServer.close caught every Exception and set the interrupt flag, so when closing Vert.x
     * failed, every wait after it (the drain of the models) returned at once.
     */
    @Test
    void aFailedNetworkCloseDoesNotSetTheInterruptFlag() {
        Vertx real = Vertx.vertx();
        Vertx failingClose = (Vertx) Proxy.newProxyInstance(
                Vertx.class.getClassLoader(), new Class<?>[] {Vertx.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close") && (args == null || args.length == 0)) {
                        return Future.failedFuture(new IllegalStateException("close failed"));
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try {
            new PierServer(failingClose, List.of(), 0, 0).close();
            assertThat(Thread.currentThread().isInterrupted())
                    .as("nothing interrupted this thread")
                    .isFalse();
        } finally {
            Thread.interrupted();
            real.close();
        }
    }

    /**
     * Start-up work moved off the path to readiness (issue 13 item 5: Vert.x created beside the model load, JVM
     * metric binders after the ports are bound) must leave a started server whole: when start returns the model is
     * AVAILABLE and the server ready, and the deferred parts answer: /metrics with the JVM and process series, the
     * OpenAPI document, the dashboard's snapshot. The model's own series are there before any request.
     */
    @Test
    void aStartedServerIsReadyAndItsDeferredPartsAnswer() throws Exception {
        model("m");
        try (RunningServer server = RunningServer.start(ServerSetup.of(ServingOptions.of(root, null), loopback()))) {
            assertThat(state(server, "m")).isEqualTo(ModelState.AVAILABLE);
            assertThat(get(server, "/v2/health/ready").statusCode()).isEqualTo(200);
            java.net.http.HttpResponse<String> metrics = get(server, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .contains("jvm_memory_used_bytes", "process_cpu_seconds_total", "jvm_gc_", "pier_build_info");
            // the loaded version's series exist before its first request, at zero (as Triton's do)
            assertThat(metrics.body())
                    .contains(
                            "nv_inference_request_success{model=\"m\",version=\"1\"} 0.0",
                            "nv_inference_count{model=\"m\",version=\"1\"} 0.0",
                            "pier_inference_request_duration_seconds_count{model=\"m\",version=\"1\"} 0");
            java.net.http.HttpResponse<String> openapi = get(server, "/v2/openapi.json");
            assertThat(openapi.statusCode()).isEqualTo(200);
            assertThat(openapi.body()).contains("\"openapi\"", "/v2/models/m/infer");
            assertThat(get(server, "/dashboard/api/snapshot").statusCode()).isEqualTo(200);
        }
    }

    /** Readiness says whether the models loaded: a model that failed leaves the (bound) server not ready. */
    @Test
    void aServerWhoseModelFailedToLoadIsNotReady() throws Exception {
        Path file = root.resolve("broken").resolve("1").resolve("model.onnx");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "not an ONNX model");
        try (RunningServer server = RunningServer.start(ServerSetup.of(ServingOptions.of(root, null), loopback()))) {
            assertThat(state(server, "broken")).isEqualTo(ModelState.FAILED);
            assertThat(server.core().isReady()).isFalse();
            assertThat(get(server, "/v2/health/ready").statusCode()).isNotEqualTo(200);
            assertThat(get(server, "/v2/health/live").statusCode()).isEqualTo(200);
        }
    }

    private static java.net.http.HttpResponse<String> get(RunningServer server, String path) throws Exception {
        try (java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient()) {
            return client.send(
                    java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create("http://127.0.0.1:" + server.httpPort() + path))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        }
    }
}
