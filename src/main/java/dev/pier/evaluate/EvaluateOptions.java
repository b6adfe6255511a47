package dev.pier.evaluate;

import dev.pier.runtime.SessionOptions;

/**
 * How an evaluation runs. Immutable; {@link #defaults()} gives the documented defaults.
 *
 * @param topK           k of top-k accuracy; default 5
 * @param batchSize      examples per model call in the accuracy pass, which also times throughput; default
 *                       256. A model that fixes its batch dimension gets that size instead.
 * @param outputKind     what the model outputs; default AUTO (detected from the values)
 * @param inputLayout    how images are laid out in the input; default AUTO (read from the declared shape)
 * @param latencyRuns    timed single-example calls for the p50/p99 latency; default 200
 * @param warmupRuns     untimed calls before timing, so one-off allocation and lazy init are not measured;
 *                       default 10
 * @param worstExamples  how many of the most confident mistakes the report shows; default 24
 * @param session        how the ONNX Runtime session runs; default {@link SessionOptions#defaults()}, the
 *                       settings the server uses, so latency matches what serving will see
 */
public record EvaluateOptions(
        int topK,
        int batchSize,
        OutputKind outputKind,
        InputLayout inputLayout,
        int latencyRuns,
        int warmupRuns,
        int worstExamples,
        SessionOptions session) {

    public static EvaluateOptions defaults() {
        return new EvaluateOptions(5, 256, OutputKind.AUTO, InputLayout.AUTO, 200, 10, 24, SessionOptions.defaults());
    }

    public EvaluateOptions {
        require(topK >= 1, "top-k must be >= 1, got " + topK);
        require(batchSize >= 1, "batch size must be >= 1, got " + batchSize);
        require(latencyRuns >= 1, "latency runs must be >= 1, got " + latencyRuns);
        require(warmupRuns >= 0, "warm-up runs must be >= 0, got " + warmupRuns);
        require(worstExamples >= 0, "worst examples must be >= 0, got " + worstExamples);
        if (outputKind == null || inputLayout == null || session == null) {
            throw new IllegalArgumentException("output kind, input layout and session options are required");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public EvaluateOptions withTopK(int k) {
        return new EvaluateOptions(
                k, batchSize, outputKind, inputLayout, latencyRuns, warmupRuns, worstExamples, session);
    }

    public EvaluateOptions withBatchSize(int size) {
        return new EvaluateOptions(
                topK, size, outputKind, inputLayout, latencyRuns, warmupRuns, worstExamples, session);
    }

    public EvaluateOptions withOutputKind(OutputKind kind) {
        return new EvaluateOptions(topK, batchSize, kind, inputLayout, latencyRuns, warmupRuns, worstExamples, session);
    }

    public EvaluateOptions withInputLayout(InputLayout layout) {
        return new EvaluateOptions(
                topK, batchSize, outputKind, layout, latencyRuns, warmupRuns, worstExamples, session);
    }

    public EvaluateOptions withLatencyRuns(int runs, int warmup) {
        return new EvaluateOptions(topK, batchSize, outputKind, inputLayout, runs, warmup, worstExamples, session);
    }
}
