package dev.pier.tracing;

import dev.pier.api.ForwardingInferenceService;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.InferenceService;
import dev.pier.api.ModelSignature;
import dev.pier.api.ServingTarget;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The decorator that joins a request's {@link RequestTrace} (begun by {@link TracingHttpHandler}) with what the
 * serving core does for it: marks the end of decoding when the protocol hands the request over, tags the request
 * with its trace id (parameter {@value #TRACE_PARAMETER}, which the prediction log records) and, when the core
 * answers, builds the queue and batch-execution spans from the core's own timings ({@link ExecutionTimings}).
 * Requests without a trace pass straight through. Thread-safe; owns nothing.
 */
public final class TracingService extends ForwardingInferenceService {
    /** The request parameter that carries the trace id to the monitoring taps (the prediction log). */
    public static final String TRACE_PARAMETER = "pier.trace_id";

    private static final Logger LOG = LoggerFactory.getLogger(TracingService.class);

    public TracingService(InferenceService delegate) {
        super(delegate);
    }

    @Override
    public CompletionStage<InferResponse> infer(InferRequest request) {
        RequestTrace trace = RequestTrace.current();
        return trace == null ? delegate().infer(request) : traced(trace, request, delegate()::infer);
    }

    @Override
    public CompletionStage<ServingTarget> target(String model, OptionalLong version) {
        RequestTrace trace = RequestTrace.current();
        CompletionStage<ServingTarget> target = delegate().target(model, version);
        return trace == null
                ? target
                : target.thenApply(t -> new ServingTarget() {
                    @Override
                    public String model() {
                        return t.model();
                    }

                    @Override
                    public long version() {
                        return t.version();
                    }

                    @Override
                    public ModelSignature signature() {
                        return t.signature();
                    }

                    @Override
                    public CompletionStage<InferResponse> infer(InferRequest request) {
                        return traced(trace, request, t::infer);
                    }

                    @Override
                    public void close() {
                        t.close();
                    }
                });
    }

    private static CompletionStage<InferResponse> traced(
            RequestTrace trace,
            InferRequest request,
            java.util.function.Function<InferRequest, CompletionStage<InferResponse>> next) {
        trace.intake(request.model());
        // a recorded trace builds its stages from the core's timings, which the core leaves in this slot
        ExecutionTimings.Slot slot = trace.recording() ? new ExecutionTimings.Slot() : null;
        Map<String, Object> parameters;
        if (request.parameters().isEmpty() && slot == null) {
            parameters = Map.of(TRACE_PARAMETER, trace.traceId()); // immutable: InferRequest keeps it uncopied
        } else {
            parameters = new HashMap<>(request.parameters());
            parameters.put(TRACE_PARAMETER, trace.traceId());
            if (slot != null) {
                parameters.put(ExecutionTimings.PARAMETER, slot);
            }
        }
        InferRequest tagged = new InferRequest(
                request.id(), request.model(), request.version(), request.inputs(), request.outputs(), parameters);
        // this runs in the request's Vert.x context, where log lines find the trace id without the MDC
        CompletionStage<InferResponse> answer;
        try {
            answer = next.apply(tagged);
        } catch (RuntimeException e) {
            // taken in but never answered: the trace's root would wait for an answer that cannot come
            trace.answered(request.model(), -1, 0, 0, e);
            throw e;
        }
        if (!trace.recording() && !LOG.isDebugEnabled()) {
            return answer; // the trace id only: nothing to build when the core answers
        }
        CompletableFuture<InferResponse> source = answer.toCompletableFuture();
        CompletableFuture<InferResponse> traced = source.whenComplete((response, failure) -> {
            ExecutionTimings.Timing t = slot == null ? null : slot.timing();
            long version = response != null ? response.version() : t != null ? t.version() : -1;
            trace.answered(
                    request.model(),
                    version,
                    t == null ? 0 : t.queueNanos(),
                    t == null ? 0 : t.computeNanos(),
                    failure);
            if (LOG.isDebugEnabled()) {
                // the core's thread is no Vert.x thread: the id goes to this line through the MDC
                MDC.put(TraceIdConverter.MDC_KEY, trace.traceId());
                try {
                    LOG.debug(
                            "request for model {} version {}: {}",
                            request.model(),
                            version,
                            failure == null ? "answered" : "failed: " + failure);
                } finally {
                    MDC.remove(TraceIdConverter.MDC_KEY);
                }
            }
        });
        // a protocol cancels the stage it holds when its client hangs up; pass that on to the core
        traced.whenComplete((response, failure) -> {
            if (traced.isCancelled()) {
                source.cancel(false);
            }
        });
        return traced;
    }
}
