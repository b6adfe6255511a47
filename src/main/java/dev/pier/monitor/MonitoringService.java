package dev.pier.monitor;

import dev.pier.api.ForwardingInferenceService;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.InferenceService;
import dev.pier.api.ModelSignature;
import dev.pier.api.ServingTarget;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decorator through which every protocol reaches the models when monitoring is on: gives each request
 * an id (the client's, or a generated one; the protocols echo it in the response) and shows each successful
 * answer to the {@link InferenceTap}s. Taps run just before the protocol gets its answer
 * (so feedback can name any id a client holds); a failing tap never changes what the client gets. Thread-safe when the delegate and the taps are; owns neither.
 */
public final class MonitoringService extends ForwardingInferenceService {
    private static final Logger LOG = LoggerFactory.getLogger(MonitoringService.class);
    private final List<InferenceTap> taps;

    public MonitoringService(InferenceService delegate, List<InferenceTap> taps) {
        super(delegate);
        this.taps = List.copyOf(taps);
    }

    @Override
    public CompletionStage<InferResponse> infer(InferRequest request) {
        InferRequest identified = identified(request);
        return shown(identified, delegate().infer(identified));
    }

    /** The delegate's pinned target, whose {@link ServingTarget#infer} gets the same ids and taps as {@link #infer}. */
    @Override
    public CompletionStage<ServingTarget> target(String model, OptionalLong version) {
        return delegate().target(model, version).thenApply(target -> new ServingTarget() {
            @Override
            public String model() {
                return target.model();
            }

            @Override
            public long version() {
                return target.version();
            }

            @Override
            public ModelSignature signature() {
                return target.signature();
            }

            @Override
            public CompletionStage<InferResponse> infer(InferRequest request) {
                InferRequest identified = identified(request);
                return shown(identified, target.infer(identified));
            }

            @Override
            public void close() {
                target.close();
            }
        });
    }

    private static InferRequest identified(InferRequest request) {
        return request.id() != null && !request.id().isBlank()
                ? request
                : request.withId(RequestIds.orGenerate(request.id()));
    }

    private CompletionStage<InferResponse> shown(InferRequest identified, CompletionStage<InferResponse> answer) {
        if (taps.isEmpty()) {
            return answer;
        }
        // taps see the answer before the protocol does: once a client holds a response, its id is known to
        // feedback and its prediction is queued for the log. Taps only enqueue, so this costs microseconds;
        // a tap that throws is logged and the answer goes out unchanged.
        java.util.concurrent.CompletableFuture<InferResponse> source = answer.toCompletableFuture();
        java.util.concurrent.CompletableFuture<InferResponse> shown = source.thenApply(response -> {
            tell(identified, response);
            return response;
        });
        // a protocol cancels the stage it holds when its client hangs up; pass that on, so the serving core
        // still takes the abandoned request out of its queue instead of running it
        shown.whenComplete((response, failure) -> {
            if (shown.isCancelled()) {
                source.cancel(false);
            }
        });
        return shown;
    }

    private void tell(InferRequest request, InferResponse response) {
        for (InferenceTap tap : taps) {
            try {
                tap.onInference(request, response);
            } catch (RuntimeException e) {
                LOG.warn(
                        "monitoring tap {} failed on request {}: {}",
                        tap.getClass().getSimpleName(),
                        request.id(),
                        e.toString());
            }
        }
    }
}
