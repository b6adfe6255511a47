package dev.pier.serving.graph;

import dev.pier.api.DeadlineExceededException;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.InferenceService;
import dev.pier.api.InternalException;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelNotFoundException;
import dev.pier.api.PierException;
import dev.pier.api.ResourceExhaustedException;
import dev.pier.api.ServingTarget;
import dev.pier.api.Tensor;
import dev.pier.api.UnavailableException;
import dev.pier.batching.Batched;
import dev.pier.batching.ScheduledSession;
import dev.pier.repository.EnsembleScheduling;
import dev.pier.serving.RequestDeadline;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs one ensemble version: each request starts every step whose inputs exist, and each step's completion
 * starts the steps it unblocks, so independent steps run in parallel and nothing waits on a thread. Steps are
 * ordinary requests to the composing models through the serving core, so each keeps its own queue, batching,
 * instances and metrics; tensors pass from step to step as the same objects (renamed, never copied or
 * encoded). Only the steps the requested outputs need run. {@code model_version: -1} resolves the composing
 * model's served version at each request, so a model rolled forward is used at once.
 *
 * <p>Bounded: at most {@code capacity} requests in flight; beyond that a request fails at once with
 * {@link UnavailableException} (503). The request's deadline travels to each step as its {@code timeout}.
 * Thread-safe; {@link #close()} refuses new requests and lets the running ones finish.
 */
final class EnsembleSession implements ScheduledSession {
    private final EnsembleGraph graph;
    private final Supplier<InferenceService> core;
    private final int capacity;
    private final boolean batched;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closed;

    EnsembleSession(EnsembleGraph graph, Supplier<InferenceService> core, int capacity, boolean batched) {
        this.graph = graph;
        this.core = core;
        this.capacity = capacity;
        this.batched = batched;
    }

    @Override
    public CompletableFuture<Batched> submit(Map<String, Tensor> inputs, List<String> outputNames, long deadlineNanos) {
        if (closed) {
            return CompletableFuture.failedFuture(
                    new UnavailableException("ensemble '" + graph.ensemble() + "' is unloading"));
        }
        if (inFlight.incrementAndGet() > capacity) {
            inFlight.decrementAndGet();
            return CompletableFuture.failedFuture(new UnavailableException("ensemble '" + graph.ensemble() + "' has "
                    + capacity + " requests in flight, its limit; retry later"));
        }
        Run run = new Run(inputs, outputNames, deadlineNanos);
        run.result.whenComplete((b, t) -> {
            inFlight.decrementAndGet();
            if (run.result.isCancelled()) {
                run.cancelSteps();
            }
        });
        run.advance(List.of());
        return run.result;
    }

    @Override
    public int queueDepth() {
        return inFlight.get();
    }

    @Override
    public void close() {
        closed = true;
    }

    /** One request's walk through the graph. Its tensors and step states are guarded by {@code this}. */
    private final class Run {
        final CompletableFuture<Batched> result = new CompletableFuture<>();
        final Map<String, Tensor> tensors;
        final List<String> outputNames;
        final long deadline;
        final long started = System.nanoTime();
        final BitSet needed;
        final BitSet launched = new BitSet();
        final List<CompletableFuture<InferResponse>> running = new ArrayList<>();
        int rows = 1;

        Run(Map<String, Tensor> inputs, List<String> outputNames, long deadline) {
            this.tensors = new HashMap<>(inputs);
            this.outputNames = outputNames;
            this.deadline = deadline;
            this.needed = graph.needed(outputNames);
            if (batched && !inputs.isEmpty()) {
                Tensor first = inputs.values().iterator().next();
                rows = first.shape().rank() > 0 ? (int) first.shape().dim(0) : 1;
            }
        }

        /** Records a step's outputs, then starts what became runnable, or completes when the outputs exist. */
        void advance(List<Tensor> produced) {
            List<Integer> ready = new ArrayList<>();
            List<Tensor> answer = null;
            synchronized (this) {
                if (result.isDone()) {
                    return;
                }
                produced.forEach(t -> tensors.put(t.name(), t));
                for (int i = needed.nextSetBit(0); i >= 0; i = needed.nextSetBit(i + 1)) {
                    if (!launched.get(i)
                            && tensors.keySet()
                                    .containsAll(graph.steps().get(i).inputMap().values())) {
                        launched.set(i);
                        ready.add(i);
                    }
                }
                if (tensors.keySet().containsAll(outputNames)) {
                    answer = new ArrayList<>(outputNames.size());
                    for (String name : outputNames) {
                        answer.add(tensors.get(name));
                    }
                }
            }
            if (answer != null) {
                result.complete(new Batched(answer, 0, System.nanoTime() - started, rows, true));
                return;
            }
            for (int i : ready) {
                launch(i);
            }
        }

        private void launch(int index) {
            EnsembleScheduling.Step step = graph.steps().get(index);
            Map<String, Object> parameters = Map.of();
            if (deadline != RequestDeadline.NONE) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail(
                            index,
                            new DeadlineExceededException(
                                    "the request's deadline passed before this step could start"));
                    return;
                }
                parameters = Map.of(RequestDeadline.PARAMETER, Math.max(1, TimeUnit.NANOSECONDS.toMicros(left)));
            }
            List<Tensor> inputs = new ArrayList<>(step.inputMap().size());
            synchronized (this) {
                step.inputMap()
                        .forEach((input, tensor) ->
                                inputs.add(tensors.get(tensor).withName(input)));
            }
            List<InferRequest.RequestedOutput> outputs = step.outputMap().keySet().stream()
                    .map(name -> new InferRequest.RequestedOutput(name, Map.of()))
                    .toList();
            OptionalLong version =
                    step.followsServedVersion() ? OptionalLong.empty() : OptionalLong.of(step.modelVersion());
            InferRequest request = new InferRequest(null, step.modelName(), version, inputs, outputs, parameters);
            CompletableFuture<InferResponse> call;
            try {
                call = ServingTarget.call(core.get().target(step.modelName(), version), t -> t.infer(request));
            } catch (RuntimeException e) {
                fail(index, e);
                return;
            }
            synchronized (this) {
                running.add(call);
            }
            call.whenComplete((response, failure) -> {
                if (failure != null) {
                    fail(index, failure);
                    return;
                }
                List<Tensor> renamed = new ArrayList<>(response.outputs().size());
                for (Tensor t : response.outputs()) {
                    String tensor = step.outputMap().get(t.name());
                    if (tensor != null) {
                        renamed.add(t.withName(tensor));
                    }
                }
                advance(renamed);
            });
        }

        private void fail(int index, Throwable failure) {
            Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
            String prefix = "ensemble '" + graph.ensemble() + "' "
                    + EnsembleGraph.where(index, graph.steps().get(index)) + ": ";
            if (result.completeExceptionally(retype(prefix, cause))) {
                cancelSteps();
            }
        }

        void cancelSteps() {
            List<CompletableFuture<InferResponse>> copy;
            synchronized (this) {
                copy = List.copyOf(running);
            }
            copy.forEach(f -> f.cancel(false));
        }
    }

    /** The same kind of error (so the client gets the same status), with the step it happened in. */
    private static PierException retype(String prefix, Throwable cause) {
        String message = prefix + cause.getMessage();
        return switch (cause) {
            case InvalidInputException e -> new InvalidInputException(message, e);
            case ModelNotFoundException e -> new UnavailableException(message); // the ensemble exists; a part is gone
            case UnavailableException e -> new UnavailableException(message);
            case DeadlineExceededException e -> new DeadlineExceededException(message);
            case ResourceExhaustedException e -> new ResourceExhaustedException(message);
            default -> new InternalException(message, cause);
        };
    }
}
