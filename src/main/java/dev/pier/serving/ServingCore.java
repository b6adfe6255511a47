package dev.pier.serving;

import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.InferenceService;
import dev.pier.api.InternalException;
import dev.pier.api.ModelMetadata;
import dev.pier.api.ModelNotFoundException;
import dev.pier.api.ModelSignature;
import dev.pier.api.ModelVersionStatus;
import dev.pier.api.PierException;
import dev.pier.api.ServingTarget;
import dev.pier.api.Tensor;
import dev.pier.api.UnavailableException;
import dev.pier.batching.Batched;
import dev.pier.repository.ModelSource;
import dev.pier.repository.SourcedModel;
import dev.pier.runtime.InferenceEngine;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * The serving core behind every protocol: implements {@link InferenceService} on a {@link ModelSource} and a
 * {@link ModelManager}. One pass per request: the manager resolves the version (version policy, traffic split,
 * shadow; {@link VersionResolver}) and pins it in one acquire; the request is validated once, on the caller's
 * thread, against that version's signature ({@link RequestValidator}); then it is submitted to the version's
 * {@link dev.pier.batching.ScheduledSession}, which bounds its queue (a full queue fails at once with
 * {@link UnavailableException}, 503) and runs it on its own threads. Nothing here waits on the caller's thread,
 * not even an on-demand load. Protocols that must decode against the signature first use {@link #target}.
 *
 * <p>Thread-safe. Owns the manager ({@link #close()} drains and unloads it); the engine stays the caller's.
 */
public final class ServingCore implements InferenceService, AutoCloseable {
    private final ModelSource source;
    private final ModelManager manager;
    private final ServingOptions options;
    private final InferenceObserver observer;
    private volatile List<String> configured = List.of();
    private volatile boolean closed;

    public ServingCore(ModelSource source, ModelManager manager, ServingOptions options) {
        this(source, manager, options, InferenceObserver.NONE);
    }

    public ServingCore(ModelSource source, ModelManager manager, ServingOptions options, InferenceObserver observer) {
        this.observer = observer;
        this.source = source;
        this.manager = manager;
        this.options = options;
    }

    /**
     * Scans the models, loads them all and returns once every initial load has finished; failed models are
     * recorded in their status and do not stop the others.
     */
    public static ServingCore start(ServingOptions options, InferenceEngine engine) {
        return start(options, engine, ModelStateListener.NONE);
    }

    public static ServingCore start(ServingOptions options, InferenceEngine engine, ModelStateListener listener) {
        return start(options, engine, listener, InferenceObserver.NONE);
    }

    public static ServingCore start(
            ServingOptions options, InferenceEngine engine, ModelStateListener listener, InferenceObserver observer) {
        return start(options, options.source(), engine, listener, observer);
    }

    /**
     * The one way a serving core starts, whatever the model control mode: {@code source} says which models
     * (the repository, or what an explicit-mode source lets through) and every other setting, the memory budget
     * and lazy loading included, comes from {@code options}.
     */
    public static ServingCore start(
            ServingOptions options,
            ModelSource source,
            InferenceEngine engine,
            ModelStateListener listener,
            InferenceObserver observer) {
        // ensembles run their steps through the core itself, which exists only once the manager does
        java.util.concurrent.atomic.AtomicReference<InferenceService> self =
                new java.util.concurrent.atomic.AtomicReference<>();
        ServingCore core =
                new ServingCore(source, ModelManager.of(options, engine, listener, self::get), options, observer);
        self.set(core);
        try {
            core.refresh().join();
        } catch (RuntimeException e) {
            core.close();
            throw e;
        }
        return core;
    }

    /** Scans the source again and applies it; completes when the resulting loads and unloads are done. */
    public CompletableFuture<Void> refresh() {
        List<SourcedModel> scan = source.scan();
        configured = scan.stream().map(SourcedModel::name).toList();
        return manager.apply(scan);
    }

    public ModelManager manager() {
        return manager;
    }

    @Override
    public CompletionStage<InferResponse> infer(InferRequest request) {
        return ServingTarget.call(
                pin(request.model(), request.version(), System.nanoTime()), target -> target.infer(request));
    }

    @Override
    public CompletionStage<ServingTarget> target(String model, OptionalLong version) {
        return pin(model, version, System.nanoTime());
    }

    /** One acquire: resolve and pin, on the caller's thread unless an on-demand load must happen first. */
    private CompletableFuture<ServingTarget> pin(String model, OptionalLong version, long arrived) {
        if (closed) {
            observer.onRequest(model, -1, false, 0, 0, 0, System.nanoTime() - arrived);
            return CompletableFuture.failedFuture(new UnavailableException("server is shutting down"));
        }
        return manager.acquire(model, version).<ServingTarget>handle((resolved, failure) -> {
            if (failure != null) {
                observer.onRequest(model, -1, false, 0, 0, 0, System.nanoTime() - arrived);
                throw failure instanceof CompletionException c ? c : new CompletionException(failure);
            }
            return new PinnedTarget(resolved.handle(), resolved.shadow(), arrived);
        });
    }

    /** A version pinned for one request; runs it and, when the resolver chose a shadow, a copy on the shadow. */
    private final class PinnedTarget implements ServingTarget {
        private final ModelHandle handle;
        private final OptionalLong shadow;
        private final long arrived;

        PinnedTarget(ModelHandle handle, OptionalLong shadow, long arrived) {
            this.handle = handle;
            this.shadow = shadow;
            this.arrived = arrived;
        }

        @Override
        public String model() {
            return handle.model();
        }

        @Override
        public long version() {
            return handle.version();
        }

        @Override
        public ModelSignature signature() {
            return handle.signature();
        }

        @Override
        public CompletableFuture<InferResponse> infer(InferRequest request) {
            String model = handle.model();
            long version = handle.version();
            if (closed) {
                return failed(model, version, new UnavailableException("server is shutting down"));
            }
            List<String> outputs;
            long deadline;
            int rows;
            try {
                deadline = RequestDeadline.of(request, arrived, options.defaultTimeoutMs());
                int maxBatch = handle.loaded().config().maxBatchSize();
                outputs = RequestValidator.validate(
                        request, handle.signature(), maxBatch, handle.session().dimensionNames());
                Classification.validate(request.outputs());
                rows = maxBatch > 0
                                && !request.inputs().isEmpty()
                                && request.inputs().getFirst().shape().rank() > 0
                        ? (int) request.inputs().getFirst().shape().dim(0)
                        : 1;
            } catch (PierException e) {
                return failed(model, version, e);
            }
            Map<String, Tensor> inputs = new HashMap<>(request.inputs().size() * 2);
            for (Tensor t : request.inputs()) {
                inputs.put(t.name(), t);
            }
            observer.onPending(model, version, 1);
            CompletableFuture<InferResponse> result = new CompletableFuture<>();
            CompletableFuture<Batched> submitted = handle.session().submit(inputs, outputs, deadline);
            result.whenComplete((r, t) -> {
                if (result.isCancelled()) {
                    submitted.cancel(false);
                }
            });
            submitted.whenComplete((batched, failure) -> {
                observer.onPending(model, version, -1);
                if (failure != null) {
                    observer.onRequest(model, version, false, rows, 0, 0, System.nanoTime() - arrived);
                    observer.onAnswered(request, version, 0, 0);
                    result.completeExceptionally(wrap(model, version, unwrap(failure)));
                    return;
                }
                if (batched.leader()) {
                    observer.onExecution(model, version, batched.batchRows());
                }
                observer.onRequest(
                        model,
                        version,
                        true,
                        rows,
                        batched.queueNanos(),
                        batched.computeNanos(),
                        System.nanoTime() - arrived);
                observer.onAnswered(request, version, batched.queueNanos(), batched.computeNanos());
                List<Tensor> answer = batched.outputs();
                if (Classification.requested(request.outputs())) {
                    try {
                        answer = Classification.apply(
                                answer, request.outputs(), handle.loaded().labels());
                    } catch (PierException e) {
                        result.completeExceptionally(e);
                        return;
                    }
                }
                InferResponse response = new InferResponse(request.id(), model, version, answer, Map.of());
                result.complete(response);
                if (shadow.isPresent()) {
                    ServingCore.this
                            .infer(request.withVersion(shadow))
                            .whenComplete((copy, error) -> ShadowComparison.log(model, response, copy, error));
                }
            });
            return result;
        }

        private CompletableFuture<InferResponse> failed(String model, long version, PierException e) {
            observer.onRequest(model, version, false, 0, 0, 0, System.nanoTime() - arrived);
            return CompletableFuture.failedFuture(e);
        }

        @Override
        public void close() {
            handle.close();
        }
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
    }

    private static PierException wrap(String model, long version, Throwable failure) {
        return failure instanceof PierException p
                ? p
                : new InternalException(
                        "model '" + model + "' version " + version + " failed to run: " + failure.getMessage(),
                        failure);
    }

    @Override
    public ModelMetadata metadata(String model, OptionalLong version) {
        try (ModelHandle h = manager.acquireNow(model, version)) {
            return new ModelMetadata(
                    model,
                    h.version(),
                    manager.availableVersions(model),
                    h.loaded().config().platformOrDefault(),
                    h.signature(),
                    ModelProperties.of(h.loaded()));
        }
    }

    @Override
    public java.util.Map<String, Long> versionLabels(String model) {
        return manager.versionLabels(model);
    }

    @Override
    public List<ModelVersionStatus> status(String model, OptionalLong version) {
        List<ModelVersionStatus> all = manager.status(model);
        if (version.isEmpty()) {
            return all;
        }
        List<ModelVersionStatus> one =
                all.stream().filter(s -> s.version() == version.getAsLong()).toList();
        if (one.isEmpty()) {
            throw new ModelNotFoundException(
                    "model '" + model + "' has no version " + version.getAsLong() + "; its versions are "
                            + all.stream()
                                    .map(ModelVersionStatus::version)
                                    .filter(v -> v > 0)
                                    .collect(Collectors.toCollection(TreeSet::new)));
        }
        return one;
    }

    @Override
    public boolean isModelReady(String model, OptionalLong version) {
        List<Long> available = manager.availableVersions(model);
        if (!closed && version.isEmpty() && available.isEmpty()) {
            return manager.servable(model); // lazy / memory budget: loads on its first request
        }
        return !closed && (version.isPresent() ? available.contains(version.getAsLong()) : !available.isEmpty());
    }

    @Override
    public boolean isLive() {
        return !closed;
    }

    @Override
    public boolean isReady() {
        return !closed && configured.stream().allMatch(manager::servable);
    }

    @Override
    public List<String> modelNames() {
        TreeSet<String> names = new TreeSet<>(manager.modelNames());
        names.addAll(configured);
        return List.copyOf(names);
    }

    /**
     * Stops taking requests, then closes the manager, which unloads every version once its open handles are
     * closed; each version's scheduler runs what is queued before its session is freed.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        manager.close();
    }
}
