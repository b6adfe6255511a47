package dev.pier.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelMetadata;
import dev.pier.api.ModelNotFoundException;
import dev.pier.api.ModelState;
import dev.pier.api.ModelVersionStatus;
import dev.pier.api.ServingTarget;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.UnavailableException;
import dev.pier.onnx.DenseLayer;
import dev.pier.runtime.onnx.OrtEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingCoreTest {
    private static OrtEngine engine;
    private static final float[] X = {0.5f, -1f, 2f, 0.25f};

    @TempDir
    Path root;

    @BeforeAll
    static void engine() {
        engine = new OrtEngine();
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    private static InferRequest request(String model, OptionalLong version, List<Tensor> inputs, String... outputs) {
        return new InferRequest(
                "req-1",
                model,
                version,
                inputs,
                Arrays.stream(outputs)
                        .map(o -> new InferRequest.RequestedOutput(o, Map.of()))
                        .toList(),
                Map.of());
    }

    private static InferRequest request(String model, OptionalLong version) {
        return request(model, version, List.of(Tensor.ofFloats("input", Shape.of(1, 4), X)));
    }

    private static InferResponse get(CompletionStage<InferResponse> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletionStage<InferResponse> stage) {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class, () -> stage.toCompletableFuture().get(30, TimeUnit.SECONDS));
        return e.getCause();
    }

    private static void assertOutput(InferResponse response, DenseLayer layer) {
        float[] expected = TestRepository.expected(layer, X);
        float[] actual = response.outputs().getFirst().floats();
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).isCloseTo(expected[i], within(1e-4f));
        }
    }

    @Test
    void servesTheLatestOrTheAskedVersionAndSaysWhichServed() throws Exception {
        TestRepository repo = new TestRepository(root);
        repo.config("m", "version_policy: {all: {}}\n");
        DenseLayer v1 = repo.version("m", 1);
        DenseLayer v2 = repo.version("m", 2);
        try (ServingCore core = ServingCore.start(ServingOptions.of(root, null), engine)) {
            InferResponse latest = get(core.infer(request("m", OptionalLong.empty())));
            assertThat(latest.version()).isEqualTo(2);
            assertThat(latest.id()).isEqualTo("req-1");
            assertThat(latest.outputs().getFirst().name()).isEqualTo("output");
            assertOutput(latest, v2);
            InferResponse first = get(core.infer(request("m", OptionalLong.of(1))));
            assertThat(first.version()).isEqualTo(1);
            assertOutput(first, v1);
            assertThat(core.isReady()).isTrue();
            assertThat(core.isModelReady("m", OptionalLong.of(1))).isTrue();
            assertThat(core.isModelReady("m", OptionalLong.of(3))).isFalse();
        }
    }

    @Test
    void badRequestsFailWithErrorsThatNameTheProblem() throws Exception {
        TestRepository repo = new TestRepository(root);
        repo.version("m", 1);
        try (ServingCore core = ServingCore.start(ServingOptions.of(root, null), engine)) {
            assertThat(failure(core.infer(request(
                            "m", OptionalLong.empty(), List.of(Tensor.ofFloats("input", Shape.of(1, 3), 1, 2, 3))))))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("input 'input'")
                    .hasMessageContaining("[-1, 4]");
            assertThat(failure(core.infer(
                            request("m", OptionalLong.empty(), List.of(Tensor.ofFloats("pixels", Shape.of(1, 4), X))))))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'pixels'");
            assertThat(failure(core.infer(request(
                            "m", OptionalLong.empty(), List.of(Tensor.ofFloats("input", Shape.of(1, 4), X)), "probs"))))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("no output 'probs'")
                    .hasMessageContaining("[output]");
            assertThat(failure(core.infer(request("other", OptionalLong.empty()))))
                    .isInstanceOf(ModelNotFoundException.class);
            assertThat(failure(core.infer(request("m", OptionalLong.of(9)))))
                    .isInstanceOf(ModelNotFoundException.class)
                    .hasMessageContaining("no version 9");
        }
    }

    @Test
    void runsOnWorkersAndRejectsWhenSaturated() throws Exception {
        TestRepository repo = new TestRepository(root);
        DenseLayer layer = repo.version("m", 1);
        GatedEngine gated = new GatedEngine(engine);
        ServingOptions options = ServingOptions.of(root, null).withWorkers(1, 1);
        try (ServingCore core = ServingCore.start(options, gated)) {
            gated.closeGate();
            gated.running.drainPermits();
            CompletionStage<InferResponse> running = core.infer(request("m", OptionalLong.empty()));
            assertThat(gated.running.tryAcquire(30, TimeUnit.SECONDS))
                    .as("first request reached the model")
                    .isTrue();
            CompletionStage<InferResponse> queued = core.infer(request("m", OptionalLong.empty()));
            assertThat(failure(core.infer(request("m", OptionalLong.empty()))))
                    .isInstanceOf(UnavailableException.class)
                    .hasMessageContaining("busy");
            gated.open();
            assertOutput(get(running), layer);
            assertOutput(get(queued), layer);
            assertThat(gated.threads)
                    .allMatch(t -> t.startsWith("pier-infer-") || t.startsWith("pier-load-"))
                    .anyMatch(t -> t.startsWith("pier-infer-"));
        }
    }

    @Test
    void metadataStatusAndReadinessReportEveryModel() throws Exception {
        TestRepository repo = new TestRepository(root);
        repo.version("good", 1);
        repo.config("good", """
                max_batch_size: 8
                input: [{name: input, data_type: TYPE_FP32, dims: [4]}]
                output: [{name: output, dims: [3], label_filename: labels.txt}]
                parameters: {intra_op_thread_count: {string_value: "1"}}
                """);
        repo.file("good", "labels.txt", "cat\ndog\nbird\n");
        repo.corrupt("bad", 1);
        repo.config("typo", "max_batch_sise: 8\n");
        repo.version("typo", 1);
        List<ModelStateListener.Event> events = new ArrayList<>();
        try (ServingCore core = ServingCore.start(ServingOptions.of(root, null), engine, events::add)) {
            ModelMetadata meta = core.metadata("good", OptionalLong.empty());
            assertThat(meta.platform()).isEqualTo("onnxruntime_onnx");
            assertThat(meta.versions()).containsExactly(1L);
            assertThat(meta.signature().input("input").orElseThrow().shape()).isEqualTo(Shape.of(-1, 4));
            assertThat(meta.properties())
                    .containsEntry("labels.output", "[\"cat\",\"dog\",\"bird\"]")
                    .containsEntry("label_filename.output", "labels.txt")
                    .containsEntry("max_batch_size", "8")
                    .containsEntry("parameter.intra_op_thread_count", "1");
            assertThat(core.status("bad", OptionalLong.empty()))
                    .singleElement()
                    .satisfies(s -> assertThat(s.state()).isEqualTo(ModelState.FAILED))
                    .satisfies(s -> assertThat(s.error()).contains("model.onnx"));
            assertThat(core.status("typo", OptionalLong.empty()))
                    .singleElement()
                    .isEqualTo(core.status("typo", OptionalLong.of(0)).getFirst())
                    .satisfies(s -> assertThat(s.error()).contains("unknown field 'max_batch_sise'"));
            assertThatThrownBy(() -> core.status("good", OptionalLong.of(4)))
                    .isInstanceOf(ModelNotFoundException.class);
            assertThatThrownBy(() -> core.metadata("bad", OptionalLong.empty()))
                    .isInstanceOf(UnavailableException.class);
            assertThat(core.modelNames()).containsExactly("bad", "good", "typo");
            assertThat(core.isLive()).isTrue();
            assertThat(core.isReady())
                    .as("a configured model has no AVAILABLE version")
                    .isFalse();
            assertThat(core.isModelReady("good", OptionalLong.empty())).isTrue();
            assertThat(failure(core.infer(request(
                            "good",
                            OptionalLong.empty(),
                            List.of(Tensor.ofFloats("input", Shape.of(9, 4), new float[36]))))))
                    .hasMessageContaining("max_batch_size 8");
        }
        assertThat(events)
                .anyMatch(e -> e.model().equals("bad")
                        && e.to() == ModelState.FAILED
                        && !e.error().isEmpty());
    }

    @Test
    void servesOneFileUnderAGivenNameAndRefusesAfterClose() throws Exception {
        TestRepository repo = new TestRepository(root);
        DenseLayer layer = repo.version("src", 1);
        Path file = root.resolve("src/1/model.onnx");
        ServingCore core = ServingCore.start(ServingOptions.of(file, "mnist"), engine);
        InferResponse r = get(core.infer(request("mnist", OptionalLong.empty())));
        assertThat(r.version()).isEqualTo(1);
        assertOutput(r, layer);
        assertThat(core.status("mnist", OptionalLong.empty()))
                .containsExactly(new ModelVersionStatus("mnist", 1, ModelState.AVAILABLE, ""));
        core.close();
        assertThat(core.isLive()).isFalse();
        assertThat(failure(core.infer(request("mnist", OptionalLong.empty()))))
                .isInstanceOf(UnavailableException.class);
        assertThatThrownBy(() -> ServingCore.start(ServingOptions.of(root.resolve("missing.onnx"), null), engine))
                .hasMessageContaining("does not exist");
    }

    /**
     * Latent bug of issue 13: with --lazy-load the router acquired the model on the caller's thread (a Vert.x event
     * loop in the server) and waited there for the on-demand load. Now the stage comes back at once, incomplete,
     * and completes on the load thread; the same for a pinned target (TF Serving predict's path).
     */
    @Test
    void anOnDemandLoadNeverWaitsOnTheCallersThread() throws Exception {
        TestRepository repo = new TestRepository(root);
        DenseLayer layer = repo.version("m", 1);
        GatedEngine gated = new GatedEngine(engine);
        try (ServingCore core = ServingCore.start(ServingOptions.of(root, null).withMemory(0, true), gated)) {
            assertThat(core.status("m", OptionalLong.empty()))
                    .singleElement()
                    .satisfies(s -> assertThat(s.state())
                            .as("lazy: not loaded before a request")
                            .isEqualTo(ModelState.START));
            gated.closeGate(); // the load's warm-up run waits at the gate
            CompletionStage<InferResponse> answer = core.infer(request("m", OptionalLong.empty()));
            CompletionStage<ServingTarget> target = core.target("m", OptionalLong.empty());
            assertThat(core.status("m", OptionalLong.empty()))
                    .singleElement()
                    .satisfies(s -> assertThat(s.state())
                            .as("infer returned while the load still waits at the gate")
                            .isEqualTo(ModelState.LOADING));
            assertThat(answer.toCompletableFuture())
                    .as("infer returned while the model is still loading")
                    .isNotDone();
            assertThat(target.toCompletableFuture())
                    .as("target returned while the model is still loading")
                    .isNotDone();
            assertThatThrownBy(() -> core.metadata("m", OptionalLong.empty()))
                    .isInstanceOf(UnavailableException.class)
                    .hasMessageContaining("loading on demand");
            gated.open();
            assertOutput(get(answer), layer);
            // the threads of the calls made while the model loaded on demand; a later call to the loaded model may
            // run on the caller's thread on purpose (the Batcher runs a cheap unbatched call inline, issue 13)
            List<String> whileLoading = List.copyOf(gated.threads);
            try (ServingTarget pinned = target.toCompletableFuture().get(30, TimeUnit.SECONDS)) {
                assertThat(pinned.version()).isEqualTo(1);
                assertThat(pinned.signature().input("input").orElseThrow().shape())
                        .isEqualTo(Shape.of(-1, 4));
                assertOutput(get(pinned.infer(request("m", OptionalLong.empty()))), layer);
            }
            assertThat(whileLoading)
                    .as("the model never ran on the caller's thread while it loaded")
                    .isNotEmpty()
                    .doesNotContain(Thread.currentThread().getName());
        }
    }

    @Test
    void unversionedRequestsFollowTheTrafficWeightsAndAPinnedTargetServesItsOwnVersion() throws Exception {
        TestRepository repo = new TestRepository(root);
        repo.config("m", "version_policy: {all: {}}\ntraffic: {1: 1}\nshadow_version: 2\n");
        DenseLayer v1 = repo.version("m", 1);
        repo.version("m", 2);
        try (ServingCore core = ServingCore.start(ServingOptions.of(root, null), engine)) {
            InferResponse routed = get(core.infer(request("m", OptionalLong.empty())));
            assertThat(routed.version())
                    .as("all the weight on version 1, the shadow's answer is never returned")
                    .isEqualTo(1);
            assertOutput(routed, v1);
            try (ServingTarget pinned =
                    core.target("m", OptionalLong.empty()).toCompletableFuture().get(30, TimeUnit.SECONDS)) {
                assertThat(pinned.version()).isEqualTo(1);
                // the request's own version is not consulted: the pinned version serves
                assertThat(get(pinned.infer(request("m", OptionalLong.of(2)))).version())
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void closeLetsRequestsInFlightAndQueuedFinishBeforeTheModelsUnload() throws Exception {
        TestRepository repo = new TestRepository(root);
        DenseLayer layer = repo.version("m", 1);
        GatedEngine gated = new GatedEngine(engine);
        ServingCore core = ServingCore.start(ServingOptions.of(root, null).withWorkers(1, 4), gated);
        gated.closeGate();
        gated.running.drainPermits();
        CompletionStage<InferResponse> running = core.infer(request("m", OptionalLong.empty()));
        assertThat(gated.running.tryAcquire(30, TimeUnit.SECONDS))
                .as("first request reached the model")
                .isTrue();
        CompletionStage<InferResponse> queued = core.infer(request("m", OptionalLong.empty()));
        Thread closing = Thread.ofPlatform().start(core::close);
        while (core.isLive()) {
            Thread.onSpinWait(); // until close() has begun
        }
        assertThat(failure(core.infer(request("m", OptionalLong.empty()))))
                .as("closing: new requests are refused")
                .isInstanceOf(UnavailableException.class);
        gated.open();
        assertOutput(get(running), layer);
        assertOutput(get(queued), layer);
        closing.join();
    }
}
