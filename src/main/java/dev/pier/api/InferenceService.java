package dev.pier.api;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What every protocol front-end (KServe V2 REST and gRPC, TF Serving REST) needs from the serving core.
 * Implemented by the serving package; the protocols only decode into these calls and encode the results.
 *
 * <p>Thread-safety: all methods may be called from event-loop threads concurrently. {@link #infer} and
 * {@link #target} never block the caller: the work runs on each version's bounded scheduler and the stage
 * completes there.
 * Failures complete the stage exceptionally with a {@link PierException}; the other methods throw one.
 */
public interface InferenceService {

    /** Runs one inference. Validates the request against the model's signature first. */
    CompletionStage<InferResponse> infer(InferRequest request);

    /**
     * Resolves the version that serves a request for {@code model} (the asked {@code version}, or the one the
     * version policy and traffic split choose) and pins it, so that a protocol can decode with its signature and
     * run on the same version with one resolve. Never blocks the caller: when the model must first be loaded on
     * demand, the stage completes once it is. Fails with a {@link PierException} (no such model, not AVAILABLE).
     * The caller closes the target once its answer is built.
     *
     * <p>This default (for services without a pinning core, such as test doubles) reads the metadata and
     * forwards {@link ServingTarget#infer} to {@link #infer} with the resolved version.
     */
    default CompletionStage<ServingTarget> target(String model, OptionalLong version) {
        ModelMetadata metadata;
        try {
            metadata = metadata(model, version);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        InferenceService service = this;
        return CompletableFuture.completedFuture(new ServingTarget() {
            @Override
            public String model() {
                return model;
            }

            @Override
            public long version() {
                return metadata.version();
            }

            @Override
            public ModelSignature signature() {
                return metadata.signature();
            }

            @Override
            public CompletionStage<InferResponse> infer(InferRequest request) {
                return service.infer(request.withVersion(OptionalLong.of(metadata.version())));
            }

            @Override
            public void close() {}
        });
    }

    /** Metadata of a model (latest ready version when {@code version} is empty). */
    ModelMetadata metadata(String model, OptionalLong version);

    /** Status of every version of a model that the server knows (TF Serving's model status), newest first. */
    List<ModelVersionStatus> status(String model, OptionalLong version);

    /** True when the given model (and version, if given) can serve now. */
    boolean isModelReady(String model, OptionalLong version);

    /** The server process is up (liveness). */
    boolean isLive();

    /** Every configured model has a ready version and the server is not draining (readiness). */
    boolean isReady();

    /** Names of the models this server knows, sorted. */
    List<String> modelNames();

    /**
     * TF Serving's version labels of a model (label to version, from its config's {@code version_labels}), so that
     * a protocol can resolve a {@code version_label}; empty for services without labels. Throws a
     * {@link PierException} for an unknown model.
     */
    default java.util.Map<String, Long> versionLabels(String model) {
        return java.util.Map.of();
    }
}
