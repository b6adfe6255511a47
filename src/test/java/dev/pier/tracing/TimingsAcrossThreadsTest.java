package dev.pier.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.ForwardingInferenceService;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.InferenceService;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.onnx.Activation;
import dev.pier.onnx.DenseLayer;
import dev.pier.onnx.OnnxNetworks;
import dev.pier.runtime.onnx.OrtEngine;
import dev.pier.serving.InferenceObserver;
import dev.pier.serving.ModelStateListener;
import dev.pier.serving.ServingCore;
import dev.pier.serving.ServingOptions;
import io.opentelemetry.context.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A traced request's queue and batch-execution stages come from the core's own timings, whichever thread the
 * trace's completion callback runs on. The race this pins down: the core answers on its own thread before the
 * trace has registered its callback, which then runs on the registering thread. A real core and model; the only
 * stand-in is a decorator that returns the core's answer once it is complete, which makes that order certain.
 */
class TimingsAcrossThreadsTest {
    @TempDir
    Path root;

    private final CollectedSpans exported = new CollectedSpans();

    /** Calls the core on another thread and hands back its stage only after the core has answered. */
    private static final class AnsweredBeforeReturning extends ForwardingInferenceService {
        AnsweredBeforeReturning(InferenceService delegate) {
            super(delegate);
        }

        @Override
        public CompletionStage<InferResponse> infer(InferRequest request) {
            CompletableFuture<InferResponse> answered = CompletableFuture.supplyAsync(
                            () -> delegate().infer(request).toCompletableFuture())
                    .thenCompose(stage -> stage)
                    .toCompletableFuture();
            answered.exceptionally(e -> null).join();
            return answered;
        }
    }

    @Test
    void theStagesComeFromTheCoresTimingsWhenItAnsweredBeforeTheCallbackWasRegistered() throws Exception {
        OnnxNetworks.mlp(List.of(new DenseLayer(4, 3, new float[12], new float[3], Activation.NONE)))
                .save(root.resolve("m").resolve("1").resolve("model.onnx"));
        Tracing tracing = exported.tracing();
        Vertx vertx = Vertx.vertx();
        try (OrtEngine engine = new OrtEngine();
                ServingCore core = ServingCore.start(
                        ServingOptions.of(root, null),
                        engine,
                        ModelStateListener.NONE,
                        new ExecutionTimings(InferenceObserver.NONE, true))) {
            TracingService service = new TracingService(new AnsweredBeforeReturning(core));
            RequestTrace trace =
                    RequestTrace.begin(tracing, Context.root(), "POST /v2/models/{model}/infer", false, "POST", "/");
            assertThat(trace.recording()).isTrue();
            ContextInternal request = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
            trace.attach(request);
            CompletableFuture<InferResponse> answer = new CompletableFuture<>();
            request.runOnContext(v -> service.infer(new InferRequest(
                            "r-1",
                            "m",
                            OptionalLong.empty(),
                            List.of(Tensor.ofFloats("input", Shape.of(1, 4), new float[] {1, 2, 3, 4})),
                            List.of(),
                            Map.of()))
                    .whenComplete((r, e) -> {
                        if (e != null) {
                            answer.completeExceptionally(e);
                        } else {
                            answer.complete(r);
                        }
                    }));
            assertThat(answer.get(30, TimeUnit.SECONDS).version()).isEqualTo(1);
            trace.finished(200, false);

            assertThat(exported.names())
                    .as("the core's queue and compute times reached the trace")
                    .containsExactlyInAnyOrder(
                            "decode", "queue", "batch execution", "encode", "POST /v2/models/{model}/infer");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            tracing.close();
        }
    }
}
