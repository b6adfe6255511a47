package dev.pier.serving;

import dev.pier.api.DeadlineExceededException;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.InferenceService;
import dev.pier.api.InternalException;
import dev.pier.api.ModelMetadata;
import dev.pier.api.ModelNotFoundException;
import dev.pier.api.ModelVersionStatus;
import dev.pier.api.PierException;
import dev.pier.api.Tensor;
import dev.pier.api.UnavailableException;
import dev.pier.batching.Batcher;
import dev.pier.batching.SchedulingDefaults;
import dev.pier.repository.ModelSource;
import dev.pier.repository.SourcedModel;
import dev.pier.runtime.InferenceEngine;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The serving core behind every protocol: implements {@link InferenceService} on a {@link ModelSource} and a
 * {@link ModelManager}. A request is resolved to a version (the newest AVAILABLE one when none is asked for)
 * and validated on the caller's thread, which is cheap; the model runs on a bounded worker pool, never on the
 * caller's thread. When all workers are busy and the queue is full the request fails at once with
 * {@link UnavailableException} (503), so overload shows as errors rather than unbounded latency.
 *
 * <p>Thread-safe. Owns the manager and the worker pool ({@link #close()} stops both); the engine stays the
 * caller's.
 */
public final class ServingCore implements InferenceService, AutoCloseable {
    private final ModelSource source;
    private final ModelManager manager;
    private final ThreadPoolExecutor workers;
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
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(options.workerThreads(), options.workerThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(options.queueCapacity()), r -> {
                    Thread t = new Thread(r, "pier-infer-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
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

    public static ServingCore start(ServingOptions options, InferenceEngine engine, ModelStateListener listener,
                                    InferenceObserver observer) {
        ModelSource source = options.source();
        ServingCore core = new ServingCore(source, new ModelManager(engine, options.loadThreads(), listener,
                new SchedulingDefaults(options.workerThreads(), options.queueCapacity()), options.memoryBudgetBytes(), options.lazyLoad()),
                options, observer);
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

    /**
     * Validates on the caller's thread, then queues the request on its version's {@link Batcher} (which
     * bounds the queue, batches and runs it; no thread waits for a batch to form), or, for a session that is
     * not scheduled, on the shared worker pool. The deadline ({@link RequestDeadline}) counts queue time.
     */
    @Override
    public CompletionStage<InferResponse> infer(InferRequest request) {
        long arrived = System.nanoTime();
        if (!closed && manager.needsLoad(request.model(), request.version())) {
            // lazy load / memory budget: the load (and any unloading to make room) waits off the caller's
            // thread, which may be an event loop; a virtual thread per waiting request is cheap
            CompletableFuture<InferResponse> out = new CompletableFuture<>();
            Thread.ofVirtual().name("pier-on-demand-load").start(() ->
                    inferNow(request, arrived).whenComplete((r, e) -> {
                        if (e != null) {
                            out.completeExceptionally(e);
                        } else {
                            out.complete(r);
                        }
                    }));
            return out;
        }
        return inferNow(request, arrived);
    }

    private CompletionStage<InferResponse> inferNow(InferRequest request, long arrived) {
        if (closed) {
            return failed(request, -1, arrived, new UnavailableException("server is shutting down"));
        }
        ModelHandle handle = null;
        List<String> outputs;
        long deadline;
        int rows;
        try {
            deadline = RequestDeadline.of(request, arrived, options.defaultTimeoutMs());
            handle = manager.acquire(request.model(), request.version());
            int maxBatch = handle.loaded().config().maxBatchSize();
            outputs = RequestValidator.validate(request, handle.signature(), maxBatch);
            rows = maxBatch > 0 && !request.inputs().isEmpty() && request.inputs().getFirst().shape().rank() > 0
                    ? (int) request.inputs().getFirst().shape().dim(0) : 1;
        } catch (PierException e) {
            long version = handle == null ? -1 : handle.version();
            if (handle != null) {
                handle.close();
            }
            return failed(request, version, arrived, e);
        }
        ModelHandle pinned = handle;
        Map<String, Tensor> inputs = request.inputs().stream().collect(Collectors.toMap(Tensor::name, Function.identity()));
        if (pinned.session() instanceof Batcher batcher) {
            observer.onPending(request.model(), pinned.version(), 1);
            CompletableFuture<InferResponse> result = new CompletableFuture<>();
            CompletableFuture<dev.pier.batching.Batched> submitted = batcher.submit(inputs, outputs, deadline);
            // a caller that cancels (its client went away) takes the request out of the queue
            result.whenComplete((r, t) -> {
                if (result.isCancelled()) {
                    submitted.cancel(false);
                }
            });
            submitted.whenComplete((batched, failure) -> {
                pinned.close();
                observer.onPending(request.model(), pinned.version(), -1);
                if (failure != null) {
                    Throwable cause = failure instanceof java.util.concurrent.CompletionException c ? c.getCause() : failure;
                    result.completeExceptionally(wrap(request, pinned.version(), cause));
                    observer.onRequest(request.model(), pinned.version(), false, rows, 0, 0, System.nanoTime() - arrived);
                    return;
                }
                if (batched.leader()) {
                    observer.onExecution(request.model(), pinned.version(), batched.batchRows());
                }
                observer.onRequest(request.model(), pinned.version(), true, rows, batched.queueNanos(), batched.computeNanos(),
                        System.nanoTime() - arrived);
                result.complete(new InferResponse(request.id(), request.model(), pinned.version(), batched.outputs(), Map.of()));
            });
            return result;
        }
        CompletableFuture<InferResponse> result = new CompletableFuture<>();
        try {
            workers.execute(() -> run(request, inputs, pinned, outputs, deadline, rows, arrived, result));
        } catch (RejectedExecutionException e) {
            pinned.close();
            return failed(request, pinned.version(), arrived, workers.isShutdown() ? new UnavailableException("server is shutting down")
                    : new UnavailableException("server busy: all " + options.workerThreads()
                    + " inference workers are busy and " + options.queueCapacity() + " requests are queued; retry later"));
        }
        return result;
    }

    private CompletableFuture<InferResponse> failed(InferRequest request, long version, long arrived, PierException e) {
        observer.onRequest(request.model(), version, false, 0, 0, 0, System.nanoTime() - arrived);
        return CompletableFuture.failedFuture(e);
    }

    private static PierException wrap(InferRequest request, long version, Throwable failure) {
        return failure instanceof PierException p ? p : new InternalException("model '" + request.model() + "' version "
                + version + " failed to run: " + failure.getMessage(), failure);
    }

    private void run(InferRequest request, Map<String, Tensor> inputs, ModelHandle handle, List<String> outputs,
                     long deadline, int rows, long arrived, CompletableFuture<InferResponse> result) {
        try (handle) {
            long start = System.nanoTime();
            if (start - deadline >= 0) {
                throw new DeadlineExceededException("deadline exceeded after " + (start - arrived) / 1_000_000
                        + " ms waiting for a worker; the request was not run");
            }
            List<Tensor> tensors = handle.session().run(inputs, outputs);
            long compute = System.nanoTime() - start;
            observer.onExecution(request.model(), handle.version(), rows);
            observer.onRequest(request.model(), handle.version(), true, rows, start - arrived, compute, System.nanoTime() - arrived);
            result.complete(new InferResponse(request.id(), request.model(), handle.version(), tensors, Map.of()));
        } catch (RuntimeException e) {
            observer.onRequest(request.model(), handle.version(), false, rows, 0, 0, System.nanoTime() - arrived);
            result.completeExceptionally(wrap(request, handle.version(), e));
        }
    }

    @Override
    public ModelMetadata metadata(String model, OptionalLong version) {
        try (ModelHandle h = manager.acquire(model, version)) {
            return new ModelMetadata(model, h.version(), manager.availableVersions(model), ModelMetadata.ONNX_PLATFORM,
                    h.signature(), ModelProperties.of(h.loaded()));
        }
    }

    @Override
    public List<ModelVersionStatus> status(String model, OptionalLong version) {
        List<ModelVersionStatus> all = manager.status(model);
        if (version.isEmpty()) {
            return all;
        }
        List<ModelVersionStatus> one = all.stream().filter(s -> s.version() == version.getAsLong()).toList();
        if (one.isEmpty()) {
            throw new ModelNotFoundException("model '" + model + "' has no version " + version.getAsLong() + "; its versions are "
                    + all.stream().map(ModelVersionStatus::version).filter(v -> v > 0).collect(Collectors.toCollection(TreeSet::new)));
        }
        return one;
    }

    @Override
    public boolean isModelReady(String model, OptionalLong version) {
        List<Long> available = manager.availableVersions(model);
        if (!closed && version.isEmpty() && available.isEmpty()) {
            return manager.servable(model);   // lazy / memory budget: loads on its first request
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

    /** Stops taking requests, lets queued ones finish (up to 30 s), then unloads every model. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        workers.shutdown();
        try {
            workers.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        manager.close();
    }
}
