package dev.pier.routing;

import dev.pier.api.ForwardingInferenceService;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.InferenceService;
import dev.pier.api.PierException;
import dev.pier.api.Tensor;
import dev.pier.repository.ModelConfig;
import dev.pier.serving.ModelHandle;
import dev.pier.serving.ServingCore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An {@link InferenceService} in front of the serving core that chooses the version for requests naming none,
 * from the newest loaded version's config: {@code traffic} weights pick among the AVAILABLE weighted versions
 * (a weighted version not loaded is skipped and the rest renormalised; none loaded = the newest, as without
 * routing); {@code shadow_version} receives a copy whose answer is compared with the served one and logged,
 * never returned. Requests that name a version go where they say. Thread-safe; owns nothing.
 */
public final class TrafficRouter extends ForwardingInferenceService {
    private static final Logger LOG = LoggerFactory.getLogger(TrafficRouter.class);

    private final ServingCore core;

    public TrafficRouter(ServingCore core) {
        super(core);
        this.core = core;
    }

    @Override
    public CompletionStage<InferResponse> infer(InferRequest request) {
        if (request.version().isPresent()) {
            return core.infer(request);
        }
        ModelConfig config;
        try (ModelHandle newest = core.manager().acquire(request.model(), OptionalLong.empty())) {
            config = newest.loaded().config();
        } catch (PierException e) {
            return core.infer(request);   // the core gives the same error with the same message
        }
        List<Long> available = core.manager().availableVersions(request.model());
        OptionalLong chosen = pick(config.traffic(), available);
        InferRequest routed = chosen.isPresent() ? withVersion(request, chosen) : request;
        CompletionStage<InferResponse> served = core.infer(routed);
        Long shadow = config.shadowVersion();
        if (shadow != null && available.contains(shadow)) {
            InferRequest copy = withVersion(request, OptionalLong.of(shadow));
            served.thenAccept(answer -> {
                if (answer.version() != shadow) {
                    core.infer(copy).whenComplete((shadowAnswer, failure) -> compare(request.model(), answer, shadowAnswer, failure));
                }
            });
        }
        return served;
    }

    /** A version drawn by weight among the weighted AVAILABLE ones; empty when none of them is available. */
    static OptionalLong pick(Map<Long, Integer> traffic, List<Long> available) {
        long total = 0;
        for (Map.Entry<Long, Integer> e : traffic.entrySet()) {
            if (available.contains(e.getKey())) {
                total += e.getValue();
            }
        }
        if (total == 0) {
            return OptionalLong.empty();
        }
        long ticket = ThreadLocalRandom.current().nextLong(total);
        for (Map.Entry<Long, Integer> e : traffic.entrySet()) {
            if (available.contains(e.getKey())) {
                ticket -= e.getValue();
                if (ticket < 0) {
                    return OptionalLong.of(e.getKey());
                }
            }
        }
        return OptionalLong.empty();
    }

    private static InferRequest withVersion(InferRequest r, OptionalLong version) {
        return new InferRequest(r.id(), r.model(), version, r.inputs(), r.outputs(), r.parameters());
    }

    private static void compare(String model, InferResponse served, InferResponse shadow, Throwable failure) {
        if (failure != null) {
            LOG.warn("shadow: model '{}': shadow version failed where version {} answered: {}", model, served.version(), failure.toString());
            return;
        }
        double maxDiff = 0;
        boolean sameShape = served.outputs().size() == shadow.outputs().size();
        for (int i = 0; sameShape && i < served.outputs().size(); i++) {
            Tensor a = served.outputs().get(i);
            Tensor b = shadow.outputs().get(i);
            sameShape = a.shape().equals(b.shape()) && a.datatype() == b.datatype();
            if (sameShape && a.datatype() == dev.pier.api.DataType.FP32) {
                float[] x = a.floats();
                float[] y = b.floats();
                for (int k = 0; k < x.length; k++) {
                    maxDiff = Math.max(maxDiff, Math.abs(x[k] - y[k]));
                }
            }
        }
        LOG.info("shadow: model '{}' served by version {}, shadow version {}: {}", model, served.version(), shadow.version(),
                sameShape ? "max |difference| " + maxDiff : "outputs differ in shape or type");
    }

}
