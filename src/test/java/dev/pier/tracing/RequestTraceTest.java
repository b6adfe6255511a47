package dev.pier.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server span of a request ends once, when both the core's answer and the end of the response are known,
 * whichever of the two callbacks runs first (they run on different threads: the core's and the event loop's).
 * Real OpenTelemetry SDK; the spans are collected as the SDK exports them.
 */
class RequestTraceTest {
    private static final AttributeKey<Boolean> CLIENT_GONE = AttributeKey.booleanKey("pier.client_gone");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final String ROOT = "inference.GRPCInferenceService/ModelInfer";

    private final CollectedSpans exported = new CollectedSpans();
    private final Tracing tracing = exported.tracing();

    @AfterEach
    void close() {
        tracing.close();
    }

    @Test
    void answerThenWrittenResponseGivesEveryStage() {
        RequestTrace trace = begin();
        trace.intake("mlp");
        trace.answered("mlp", 2, 1_000, 5_000, null);
        assertThat(exported.names()).as("the root waits for the response").doesNotContain(ROOT);
        trace.finished(200, false);

        assertWhole(trace);
        assertThat(root().getAttributes().get(CLIENT_GONE)).isNull();
    }

    /** The order of the flaky gRPC trace: the response's end reported before the answer's callback ran. */
    @Test
    void writtenResponseThenAnswerStillGivesEveryStage() {
        RequestTrace trace = begin();
        trace.intake("mlp");
        trace.finished(200, false);
        assertThat(exported.names()).as("the root waits for the answer").doesNotContain(ROOT);
        trace.answered("mlp", 2, 1_000, 5_000, null);

        assertWhole(trace);
        assertThat(root().getAttributes().get(CLIENT_GONE)).isNull();
    }

    @Test
    void clientGoneBeforeTheAnswerEndsTheRootAtOnceAndOnlyOnce() {
        RequestTrace trace = begin();
        trace.intake("mlp");
        trace.finished(200, true);
        // the answer may never come (the inference is abandoned): the root cannot wait for it
        assertThat(exported.names()).containsExactlyInAnyOrder("decode", ROOT);
        assertThat(root().getAttributes().get(CLIENT_GONE)).isTrue();
        assertThat(root().getAttributes().get(STATUS)).as("nothing was written").isNull();

        trace.answered("mlp", 2, 1_000, 5_000, null); // came after all
        trace.finished(200, true);
        assertThat(exported.names()).as("nothing more after the root ended").containsExactlyInAnyOrder("decode", ROOT);
    }

    @Test
    void clientGoneAfterTheAnswerKeepsTheStagesButNoEncode() {
        RequestTrace trace = begin();
        trace.intake("mlp");
        trace.answered("mlp", 2, 1_000, 5_000, null);
        trace.finished(200, true);

        assertThat(exported.names()).containsExactlyInAnyOrder("decode", "queue", "batch execution", ROOT);
        assertThat(root().getAttributes().get(CLIENT_GONE)).isTrue();
        assertThat(root().getAttributes().get(RequestTrace.VERSION)).isEqualTo(2L);
    }

    @Test
    void aFailedAnswerMarksTheRootInEitherOrder() {
        for (boolean writtenFirst : new boolean[] {false, true}) {
            exported.spans.clear();
            RequestTrace trace = begin();
            trace.intake("mlp");
            if (writtenFirst) {
                trace.finished(500, false);
            }
            trace.answered("mlp", -1, 0, 0, new IllegalStateException("model unloaded"));
            if (!writtenFirst) {
                trace.finished(500, false);
            }
            assertThat(exported.names())
                    .as("written first: %s", writtenFirst)
                    .containsExactlyInAnyOrder("decode", "infer", "encode", ROOT);
            assertThat(root().getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(root().getStatus().getDescription()).isEqualTo("model unloaded");
            assertThat(only("infer").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(root().getAttributes().get(STATUS)).isEqualTo(500L);
        }
    }

    /** Refused before the core took it (bad input, body too large): no answer will come, the response ends it. */
    @Test
    void aResponseWithoutIntakeEndsTheRootAtOnce() {
        RequestTrace trace = begin();
        trace.finished(400, false);
        assertThat(exported.names()).containsExactly(ROOT);
        assertThat(root().getAttributes().get(STATUS)).isEqualTo(400L);
        assertThat(root().getAttributes().get(CLIENT_GONE)).isNull();
    }

    /**
     * The two callbacks released together from two threads, many times: whatever the interleaving, each
     * request's root ends exactly once with all its stages. (It cannot fail by timing: every interleaving
     * must give the same trace.)
     */
    @Test
    void racingCallbacksEndEachRootOnceWithEveryStage() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            int requests = 300;
            for (int i = 0; i < requests; i++) {
                RequestTrace trace = begin();
                trace.intake("mlp");
                CyclicBarrier together = new CyclicBarrier(2);
                Future<?> core = pool.submit(() -> {
                    together.await();
                    trace.answered("mlp", 2, 1_000, 5_000, null);
                    return null;
                });
                Future<?> loop = pool.submit(() -> {
                    together.await();
                    trace.finished(200, false);
                    return null;
                });
                core.get();
                loop.get();
            }
            List<SpanData> roots = exported.spans.stream()
                    .filter(s -> s.getName().equals(ROOT))
                    .toList();
            assertThat(roots).hasSize(requests);
            for (SpanData root : roots) {
                assertThat(exported.spans.stream()
                                .filter(s -> s.getParentSpanId().equals(root.getSpanId()))
                                .map(SpanData::getName))
                        .containsExactlyInAnyOrder("decode", "queue", "batch execution", "encode");
                assertThat(root.getAttributes().get(CLIENT_GONE)).isNull();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private RequestTrace begin() {
        RequestTrace trace = RequestTrace.begin(
                tracing, Context.root(), ROOT, true, "POST", "/inference.GRPCInferenceService/ModelInfer");
        assertThat(trace.recording()).isTrue();
        return trace;
    }

    /** The root and its four stages, each exported once, the stages children of the root and inside it. */
    private void assertWhole(RequestTrace trace) {
        assertThat(exported.names()).containsExactlyInAnyOrder("decode", "queue", "batch execution", "encode", ROOT);
        SpanData root = root();
        assertThat(root.getTraceId()).isEqualTo(trace.traceId());
        assertThat(root.hasEnded()).isTrue();
        assertThat(root.getAttributes().get(RequestTrace.MODEL)).isEqualTo("mlp");
        assertThat(root.getAttributes().get(RequestTrace.VERSION)).isEqualTo(2L);
        assertThat(root.getAttributes().get(STATUS)).isEqualTo(200L);
        assertThat(root.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        for (String stage : List.of("decode", "queue", "batch execution", "encode")) {
            SpanData s = only(stage);
            assertThat(s.getParentSpanId()).as(stage).isEqualTo(root.getSpanId());
            assertThat(s.getAttributes().get(RequestTrace.MODEL)).as(stage).isEqualTo("mlp");
            assertThat(s.getAttributes().get(RequestTrace.VERSION)).as(stage).isEqualTo(2L);
            assertThat(s.getStartEpochNanos()).as(stage).isBetween(root.getStartEpochNanos(), s.getEndEpochNanos());
            assertThat(s.getEndEpochNanos()).as(stage).isLessThanOrEqualTo(root.getEndEpochNanos());
        }
        assertThat(only("batch execution").getEndEpochNanos())
                .isLessThanOrEqualTo(only("encode").getStartEpochNanos());
    }

    private SpanData root() {
        return only(ROOT);
    }

    private SpanData only(String name) {
        List<SpanData> named =
                exported.spans.stream().filter(s -> s.getName().equals(name)).toList();
        assertThat(named).as("spans named %s among %s", name, exported.names()).hasSize(1);
        return named.getFirst();
    }
}
