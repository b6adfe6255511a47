package dev.pier.server;

import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.InferenceService;
import dev.pier.api.ModelMetadata;
import dev.pier.api.ModelVersionStatus;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/**
 * The {@link InferenceService} the protocols see: the serving core, except that readiness (server and
 * per model, REST and gRPC health alike) turns false the moment a shutdown starts, while inference keeps
 * working through the drain window. Thread-safe; owns nothing.
 */
final class DrainAwareService implements InferenceService {
    private final InferenceService core;
    private final Drain drain;

    DrainAwareService(InferenceService core, Drain drain) {
        this.core = core;
        this.drain = drain;
    }

    private boolean serving() {
        return drain.phase() == Drain.Phase.SERVING;
    }

    @Override
    public CompletionStage<InferResponse> infer(InferRequest request) {
        return core.infer(request);
    }

    @Override
    public ModelMetadata metadata(String model, OptionalLong version) {
        return core.metadata(model, version);
    }

    @Override
    public List<ModelVersionStatus> status(String model, OptionalLong version) {
        return core.status(model, version);
    }

    @Override
    public boolean isModelReady(String model, OptionalLong version) {
        return serving() && core.isModelReady(model, version);
    }

    @Override
    public boolean isLive() {
        return core.isLive();
    }

    @Override
    public boolean isReady() {
        return serving() && core.isReady();
    }

    @Override
    public List<String> modelNames() {
        return core.modelNames();
    }
}
