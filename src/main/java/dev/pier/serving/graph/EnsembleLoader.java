package dev.pier.serving.graph;

import dev.pier.api.InferenceService;
import dev.pier.api.ModelNotFoundException;
import dev.pier.api.ModelSignature;
import dev.pier.api.ModelState;
import dev.pier.api.ModelVersionStatus;
import dev.pier.api.ServingTarget;
import dev.pier.api.Shape;
import dev.pier.api.TensorSpec;
import dev.pier.api.UnavailableException;
import dev.pier.repository.ModelConfig;
import dev.pier.repository.TensorConfig;
import dev.pier.serving.LabelFiles;
import dev.pier.serving.LoadedModel;
import dev.pier.serving.Loader;
import dev.pier.serving.ModelManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Loads one version of a {@code platform: ensemble} model: waits until the models it composes have finished
 * loading, checks the graph against the signatures they serve ({@link EnsembleGraph}; any error leaves the
 * ensemble FAILED with that message, and the other models serve on), and makes its {@link EnsembleSession}.
 * Its own signature is the config's {@code input}/{@code output} (with the batch dimension when
 * {@code max_batch_size > 0}). Holds no native memory. Not thread-safe: the manager calls it from one thread at a
 * time.
 */
public final class EnsembleLoader implements Loader {
    /** How long a load waits for its composing models to finish loading. */
    static final long WAIT_SECONDS = ModelManager.ON_DEMAND_LOAD_TIMEOUT_SECONDS;

    private final String model;
    private final long version;
    private final ModelConfig config;
    private final Path modelDir;
    private final Supplier<InferenceService> core;
    private final int capacity;
    private EnsembleSession session;

    EnsembleLoader(
            String model,
            long version,
            ModelConfig config,
            Path modelDir,
            Supplier<InferenceService> core,
            int capacity) {
        this.model = model;
        this.version = version;
        this.config = config;
        this.modelDir = modelDir;
        this.core = core;
        this.capacity = capacity;
    }

    @Override
    public LoadedModel load() {
        ModelSignature signature = signatureOf(config);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        EnsembleGraph graph = EnsembleGraph.check(
                model, signature, config.ensembleScheduling(), (name, v) -> servedSignature(name, v, until));
        session = new EnsembleSession(graph, core, capacity, config.maxBatchSize() > 0);
        return new LoadedModel(
                model, version, session, signature, config, LabelFiles.read(config, modelDir, signature));
    }

    /** The ensemble's inputs and outputs as its config declares them (required for ensembles). */
    static ModelSignature signatureOf(ModelConfig config) {
        return new ModelSignature(
                specs(config.input(), config.maxBatchSize()), specs(config.output(), config.maxBatchSize()));
    }

    private static List<TensorSpec> specs(List<TensorConfig> tensors, int maxBatch) {
        List<TensorSpec> out = new ArrayList<>();
        for (TensorConfig t : tensors) {
            long[] dims = t.dims().stream().mapToLong(Long::longValue).toArray();
            if (maxBatch > 0) {
                long[] full = new long[dims.length + 1];
                full[0] = Shape.DYNAMIC;
                System.arraycopy(dims, 0, full, 1, dims.length);
                dims = full;
            }
            out.add(new TensorSpec(t.name(), t.dataType().dataType(), Shape.of(dims)));
        }
        return out;
    }

    /**
     * The signature a composing model serves at {@code version} (-1: its served version), waiting while it is still
     * loading; throws naming the model and why when it is unknown or cannot serve.
     */
    private ModelSignature servedSignature(String name, long version, long until) {
        OptionalLong asked = version == -1 ? OptionalLong.empty() : OptionalLong.of(version);
        InferenceService service = core.get();
        while (true) {
            try {
                ServingTarget target = service.target(name, asked)
                        .toCompletableFuture()
                        .get(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                try {
                    return target.signature();
                } finally {
                    target.close();
                }
            } catch (ExecutionException | CompletionException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                if (cause instanceof ModelNotFoundException) {
                    throw new IllegalArgumentException("unknown model: " + cause.getMessage());
                }
                if (!(cause instanceof UnavailableException) || !worthAskingAgain(service, name, asked)) {
                    throw new IllegalArgumentException("model '" + name + "' cannot serve: " + cause.getMessage());
                }
            } catch (TimeoutException e) {
                throw new IllegalArgumentException(
                        "model '" + name + "' did not finish loading within " + WAIT_SECONDS + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for model '" + name + "'");
            }
            if (System.nanoTime() > until) {
                throw new IllegalArgumentException(
                        "model '" + name + "' did not finish loading within " + WAIT_SECONDS + " s");
            }
            try {
                Thread.sleep(50); // a graph-load thread of its own, never a load or event-loop thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for model '" + name + "'");
            }
        }
    }

    /**
     * Whether a composing model that just refused is loading, or became AVAILABLE since it refused: the status is
     * read after the refusal, so a load that finished in between must be asked again, not reported with the stale
     * "version 1 LOADING" reason (GraphEndToEndTest saw exactly that instead of a cycle's message).
     */
    private static boolean worthAskingAgain(InferenceService service, String name, OptionalLong version) {
        try {
            for (ModelVersionStatus s : service.status(name, version)) {
                if (s.state() == ModelState.START
                        || s.state() == ModelState.LOADING
                        || s.state() == ModelState.AVAILABLE) {
                    return true;
                }
            }
        } catch (RuntimeException e) {
            return false;
        }
        return false;
    }

    @Override
    public Set<String> dependsOn() {
        Set<String> models = new HashSet<>();
        config.ensembleScheduling().step().forEach(s -> models.add(s.modelName()));
        return models;
    }

    /**
     * The graph checked again against the signatures the composing models serve now: a model rolled forward to a
     * version whose inputs or outputs no longer fit gives the same message a load would (step and tensor). A model
     * with no AVAILABLE version (still loading, or loading on demand) cannot tell, so it counts as fitting: its
     * requests fail with their own reason, and the version that loads triggers this check again.
     */
    @Override
    public Optional<String> recheck() {
        try {
            EnsembleGraph.check(model, signatureOf(config), config.ensembleScheduling(), this::signatureNow);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof Undecided) {
                    return Optional.empty();
                }
            }
            return Optional.of(e.getMessage());
        }
    }

    /** A composing model cannot say its signature now (no AVAILABLE version); the check cannot decide. */
    private static final class Undecided extends RuntimeException {
        Undecided() {
            super("no AVAILABLE version to check against", null, false, false);
        }
    }

    /** The signature a composing model serves now, without waiting and without starting an on-demand load. */
    private ModelSignature signatureNow(String name, long version) {
        OptionalLong asked = version == -1 ? OptionalLong.empty() : OptionalLong.of(version);
        InferenceService service = core.get();
        boolean available;
        try {
            available = service.status(name, asked).stream().anyMatch(s -> s.state() == ModelState.AVAILABLE);
        } catch (ModelNotFoundException e) {
            throw new IllegalArgumentException("unknown model: " + e.getMessage());
        }
        if (!available && !service.modelNames().contains(name)) {
            throw new IllegalArgumentException("unknown model: model '" + name + "' is no longer served here");
        }
        if (!available) {
            throw new Undecided();
        }
        CompletableFuture<ServingTarget> pending = service.target(name, asked).toCompletableFuture();
        if (!pending.isDone()) {
            pending.thenAccept(ServingTarget::close); // it went away meanwhile and is loading again: let go of it later
            throw new Undecided();
        }
        ServingTarget target;
        try {
            target = pending.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ModelNotFoundException m) {
                throw new IllegalArgumentException("unknown model: " + m.getMessage());
            }
            throw new Undecided();
        }
        try {
            return target.signature();
        } finally {
            target.close();
        }
    }

    @Override
    public void unload() {
        if (session != null) {
            session.close();
            session = null;
        }
    }

    @Override
    public long estimatedBytes() {
        return 0;
    }

    @Override
    public boolean waitsForOtherModels() {
        return true;
    }
}
