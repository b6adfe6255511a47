package dev.pier.api;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/**
 * An {@link InferenceService} that passes every call to another one; decorators (traffic routing, drain on
 * shutdown) extend it and override only the calls they change. Thread-safe when the delegate is.
 */
public abstract class ForwardingInferenceService implements InferenceService {
    private final InferenceService delegate;

    protected ForwardingInferenceService(InferenceService delegate) {
        this.delegate = delegate;
    }

    protected InferenceService delegate() {
        return delegate;
    }

    @Override
    public CompletionStage<InferResponse> infer(InferRequest request) {
        return delegate.infer(request);
    }

    @Override
    public CompletionStage<ServingTarget> target(String model, OptionalLong version) {
        return delegate.target(model, version);
    }

    @Override
    public ModelMetadata metadata(String model, OptionalLong version) {
        return delegate.metadata(model, version);
    }

    @Override
    public List<ModelVersionStatus> status(String model, OptionalLong version) {
        return delegate.status(model, version);
    }

    @Override
    public boolean isModelReady(String model, OptionalLong version) {
        return delegate.isModelReady(model, version);
    }

    @Override
    public boolean isLive() {
        return delegate.isLive();
    }

    @Override
    public boolean isReady() {
        return delegate.isReady();
    }

    @Override
    public List<String> modelNames() {
        return delegate.modelNames();
    }

    @Override
    public java.util.Map<String, Long> versionLabels(String model) {
        return delegate.versionLabels(model);
    }
}
