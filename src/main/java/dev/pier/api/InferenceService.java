package dev.pier.api;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/**
 * What every protocol front-end (KServe V2 REST and gRPC, TF Serving REST) needs from the serving core.
 * Implemented by the serving package; the protocols only decode into these calls and encode the results.
 *
 * <p>Thread-safety: all methods may be called from event-loop threads concurrently. {@link #infer} never
 * blocks the caller: the work runs on the serving core's bounded worker pool and the stage completes there.
 * Failures complete the stage exceptionally with a {@link PierException}; the other methods throw one.
 */
public interface InferenceService {

    /** Runs one inference. Validates the request against the model's signature first. */
    CompletionStage<InferResponse> infer(InferRequest request);

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
}
