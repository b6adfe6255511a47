package dev.pier.monitor;

import dev.pier.api.ForwardingInferenceService;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.InferenceService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The decorator through which every protocol reaches the models when monitoring is on: gives each request
 * an id (the client's, or a generated one; the protocols echo it in the response) and shows each successful
 * answer to the {@link InferenceTap}s. Taps run after the protocol has its answer, so a failing tap never
 * changes what the client gets. Thread-safe when the delegate and the taps are; owns neither.
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
        InferRequest identified = request.id() != null && !request.id().isBlank() ? request
                : request.withId(RequestIds.orGenerate(request.id()));
        CompletionStage<InferResponse> answer = delegate().infer(identified);
        if (!taps.isEmpty()) {
            // a side branch, not part of the returned stage: the protocol's own callback, registered later,
            // runs first (CompletableFuture runs dependents last-in first), so the answer is on its way
            // before any tap sees it
            answer.whenComplete((response, failure) -> {
                if (failure == null) {
                    tell(identified, response);
                }
            });
        }
        return answer;
    }

    private void tell(InferRequest request, InferResponse response) {
        for (InferenceTap tap : taps) {
            try {
                tap.onInference(request, response);
            } catch (RuntimeException e) {
                LOG.warn("monitoring tap {} failed on request {}: {}", tap.getClass().getSimpleName(), request.id(), e.toString());
            }
        }
    }
}
