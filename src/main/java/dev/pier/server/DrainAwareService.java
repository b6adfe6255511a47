package dev.pier.server;

import dev.pier.api.ForwardingInferenceService;
import dev.pier.api.InferenceService;
import java.util.OptionalLong;

/**
 * The {@link InferenceService} the protocols see: the serving core, except that readiness (server and
 * per model, REST and gRPC health alike) turns false the moment a shutdown starts, while inference keeps
 * working through the drain window. Thread-safe; owns nothing.
 */
final class DrainAwareService extends ForwardingInferenceService {
    private final InferenceService core;
    private final Drain drain;

    DrainAwareService(InferenceService core, Drain drain) {
        super(core);
        this.core = core;
        this.drain = drain;
    }

    private boolean serving() {
        return drain.phase() == Drain.Phase.SERVING;
    }

    @Override
    public boolean isModelReady(String model, OptionalLong version) {
        return serving() && core.isModelReady(model, version);
    }

    @Override
    public boolean isReady() {
        return serving() && core.isReady();
    }
}
