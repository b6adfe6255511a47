package dev.pier.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * One model version pinned for one request: the protocol front end gets it once, decodes the request against
 * its {@link #signature()}, runs it with {@link #infer}, builds the answer, then closes it. While it is open
 * the version is not unloaded, so the signature used to decode is the one of the version that serves.
 *
 * <p>Thread-safe; {@link #close()} is idempotent. Obtained from {@link InferenceService#target}.
 */
public interface ServingTarget extends AutoCloseable {

    String model();

    /** The version that will serve (already resolved: version policy, labels, traffic split). */
    long version();

    /** The signature requests to this version are decoded and validated against. */
    ModelSignature signature();

    /**
     * Runs one request on this version (the request's own {@code version} is not consulted). Never blocks the
     * caller; failures complete the stage exceptionally with a {@link PierException}.
     */
    CompletionStage<InferResponse> infer(InferRequest request);

    /** Releases the version; call once the answer is built. */
    @Override
    void close();

    /**
     * Runs {@code body} on the target once {@code pinned} completes and closes the target when the stage
     * {@code body} returns completes (or when {@code body} throws, or when the caller cancelled first).
     * Cancelling the returned future cancels the stage of {@code body}, so a request whose client went away is
     * taken out of its queue. {@code body} runs on the thread that completes {@code pinned}: the caller's, unless
     * a model had to load on demand.
     */
    static <T> CompletableFuture<T> call(
            CompletionStage<? extends ServingTarget> pinned,
            Function<ServingTarget, ? extends CompletionStage<T>> body) {
        CompletableFuture<T> out = new CompletableFuture<>();
        pinned.whenComplete((target, failure) -> {
            if (failure != null) {
                out.completeExceptionally(
                        failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure);
                return;
            }
            if (out.isDone()) {
                target.close(); // cancelled while the model was loading
                return;
            }
            CompletableFuture<T> inner;
            try {
                inner = body.apply(target).toCompletableFuture();
            } catch (RuntimeException e) {
                target.close();
                out.completeExceptionally(e);
                return;
            }
            out.whenComplete((v, t) -> {
                if (out.isCancelled()) {
                    inner.cancel(false);
                }
            });
            inner.whenComplete((v, t) -> {
                target.close();
                if (t != null) {
                    out.completeExceptionally(
                            t instanceof CompletionException c && c.getCause() != null ? c.getCause() : t);
                } else {
                    out.complete(v);
                }
            });
        });
        return out;
    }
}
