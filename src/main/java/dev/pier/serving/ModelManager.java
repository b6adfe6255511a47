package dev.pier.serving;

import dev.pier.api.ModelNotFoundException;
import dev.pier.api.ModelState;
import dev.pier.api.ModelVersionStatus;
import dev.pier.api.ResourceExhaustedException;
import dev.pier.api.UnavailableException;
import dev.pier.batching.SchedulingDefaults;
import dev.pier.repository.AspiredVersion;
import dev.pier.repository.SourcedModel;
import dev.pier.runtime.InferenceEngine;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The version state machine: applies what a {@link dev.pier.repository.ModelSource} aspires, loads and unloads
 * model versions as the {@link AvailabilityPreservingPolicy} decides and the {@link ResidencyTracker} admits, and
 * hands out {@link ModelHandle}s. Loaders come from an injected {@link LoaderFactory}, so the manager knows
 * nothing of ONNX Runtime (tests use a fake one).
 *
 * <p>Owns the state of every version ({@link ModelState}); {@link #transition} is the one place that changes
 * a state, and it tells the {@link ModelStateListener} about each change. Loads run in parallel on
 * {@code loadThreads} threads; a failed load leaves that version FAILED with the reason and does not stop the
 * others. Unloads wait until every handle on the version is closed.
 *
 * <p>{@link #acquire(String, OptionalLong)} resolves the version ({@link VersionResolver}) and pins it in one
 * pass under the lock, and never waits: when an on-demand load must happen first, the returned stage completes
 * on the load thread once it has (or fails after {@link #ON_DEMAND_LOAD_TIMEOUT_SECONDS}).
 *
 * <p>Thread-safe: all state is guarded by one lock, held only for bookkeeping, never while loading,
 * unloading or running a model. Owns what its loaders load (unloaded on unload and on {@link #close()}).
 */
public final class ModelManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelManager.class);
    private static final Map<ModelState, Set<ModelState>> ALLOWED = Map.of(
            ModelState.START, EnumSet.of(ModelState.LOADING),
            ModelState.END, EnumSet.of(ModelState.LOADING),
            ModelState.LOADING, EnumSet.of(ModelState.AVAILABLE, ModelState.FAILED),
            ModelState.AVAILABLE, EnumSet.of(ModelState.UNLOADING),
            ModelState.UNLOADING, EnumSet.of(ModelState.END),
            ModelState.FAILED, EnumSet.noneOf(ModelState.class));

    /** How long {@link #close()} waits for open handles before giving up on their versions. */
    public static final long CLOSE_TIMEOUT_SECONDS = 30;

    /** How long a request waits for the on-demand load of its model. */
    public static final long ON_DEMAND_LOAD_TIMEOUT_SECONDS = 120;

    /** A pinned version and the version that gets a shadow copy of the request, if any. */
    public record Resolved(ModelHandle handle, OptionalLong shadow) {}

    private final LoaderFactory loaderFactory;
    private final ResidencyTracker residency;
    private final ModelStateListener listener;
    private final ExecutorService loaders;
    private final ExecutorService unloaders;
    /** Loads that wait for other models (ensembles): apart from {@link #loaders}, so they cannot starve them. */
    private final ExecutorService graphLoaders;

    private final Object lock = new Object();
    private final Map<String, ManagedModel> models = new TreeMap<>();
    private final List<CompletableFuture<Void>> settledWaiters = new ArrayList<>();
    /** Completed (outside the lock) and replaced whenever a load or unload ends: on-demand acquires retry then. */
    private CompletableFuture<Void> changed = new CompletableFuture<>();

    private int inFlight;
    private boolean closed;

    /**
     * @param loaderFactory makes the loader of each aspired version
     * @param loadThreads   how many versions load at once (TF Serving's {@code num_load_threads}); >= 1
     * @param residency     memory budget and on-demand loading
     */
    public ModelManager(
            LoaderFactory loaderFactory, int loadThreads, ModelStateListener listener, ResidencyTracker residency) {
        if (loadThreads < 1) {
            throw new IllegalArgumentException("loadThreads must be >= 1, got " + loadThreads);
        }
        this.loaderFactory = loaderFactory;
        this.residency = residency;
        this.listener = listener;
        this.loaders = Executors.newFixedThreadPool(loadThreads, named("pier-load-"));
        this.unloaders = Executors.newCachedThreadPool(named("pier-unload-"));
        this.graphLoaders = Executors.newCachedThreadPool(named("pier-graph-load-"));
    }

    /** ONNX Runtime loaders through {@code engine}, machine scheduling defaults, no budget. */
    public ModelManager(InferenceEngine engine, int loadThreads, ModelStateListener listener) {
        this(
                LoaderFactory.onnx(engine, SchedulingDefaults.ofMachine()),
                loadThreads,
                listener,
                ResidencyTracker.unlimited());
    }

    /** The manager of a serving process, as {@code options} say; every start-up mode builds it here. */
    public static ModelManager of(ServingOptions options, InferenceEngine engine, ModelStateListener listener) {
        return of(options, engine, listener, () -> {
            throw new IllegalStateException("ensembles need a serving core to run their steps through");
        });
    }

    /**
     * As {@link #of(ServingOptions, InferenceEngine, ModelStateListener)}, serving ensembles and processing steps too
     * ({@link dev.pier.serving.graph.GraphLoaderFactory}); ensembles run their steps through {@code core}.
     */
    public static ModelManager of(
            ServingOptions options,
            InferenceEngine engine,
            ModelStateListener listener,
            java.util.function.Supplier<dev.pier.api.InferenceService> core) {
        SchedulingDefaults scheduling = new SchedulingDefaults(options.workerThreads(), options.queueCapacity());
        LoaderFactory factory =
                new dev.pier.serving.graph.GraphLoaderFactory(LoaderFactory.onnx(engine, scheduling), scheduling, core);
        return new ModelManager(
                factory,
                options.loadThreads(),
                listener,
                new ResidencyTracker(options.memoryBudgetBytes(), options.lazyLoad()));
    }

    public ResidencyTracker residency() {
        return residency;
    }

    /**
     * Makes the served versions follow a full snapshot of the source: new aspired versions load, versions
     * no longer aspired unload (after their replacement is AVAILABLE), models missing from the snapshot go.
     * A {@link SourcedModel.Broken} model keeps what it serves and shows the reason in its status.
     *
     * @return completes when every load and unload this started (and any before) has finished
     */
    public CompletableFuture<Void> apply(List<SourcedModel> snapshot) {
        synchronized (lock) {
            if (closed) {
                throw new UnavailableException("model manager is closed");
            }
            Set<String> present = new HashSet<>();
            for (SourcedModel m : snapshot) {
                present.add(m.name());
                ManagedModel entry = models.computeIfAbsent(m.name(), ManagedModel::new);
                switch (m) {
                    case SourcedModel.Broken b -> entry.brokenReason = b.reason();
                    case SourcedModel.Aspired a -> {
                        entry.brokenReason = null;
                        entry.sourceConfig = a.config();
                        Map<Long, Loader> aspired = new HashMap<>();
                        for (AspiredVersion v : a.versions()) {
                            aspired.put(v.version(), loaderFactory.create(a.name(), v, a.config(), a.directory()));
                            String print = fingerprint(v.modelFile());
                            ManagedModel.Version known = entry.versions.get(v.version());
                            if (known == null
                                    || (known.state == ModelState.FAILED && !print.equals(known.fingerprint))) {
                                // a FAILED version stays FAILED until its files change (a half-copied file, a fix
                                // dropped in place); then it is a new attempt, starting from START
                                if (known != null) {
                                    LOG.info(
                                            "model '{}' version {}: files changed since it FAILED; loading again",
                                            a.name(),
                                            v.version());
                                }
                                ManagedModel.Version fresh = new ManagedModel.Version(v.version());
                                fresh.fingerprint = print;
                                entry.versions.put(v.version(), fresh);
                            }
                        }
                        entry.aspired = Map.copyOf(aspired);
                    }
                }
            }
            for (ManagedModel entry : models.values()) {
                if (!present.contains(entry.name)) {
                    entry.aspired = Map.of();
                    entry.brokenReason = null;
                }
            }
            new ArrayList<>(models.values()).forEach(this::reconcile);
            return settled();
        }
    }

    /** Completes when no load or unload is in flight. */
    public CompletableFuture<Void> settled() {
        synchronized (lock) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            if (inFlight == 0) {
                f.complete(null);
            } else {
                settledWaiters.add(f);
            }
            return f;
        }
    }

    /**
     * Resolves and pins, in one pass under the lock: the asked version, or the one the {@link VersionResolver}
     * chooses among the AVAILABLE ones (traffic split, shadow). Never waits on the caller's thread: when the model
     * is managed on demand and must load first, the load starts and the stage completes on the load thread.
     * Failures complete the stage: {@link ModelNotFoundException} (no such model or version),
     * {@link UnavailableException} (not AVAILABLE), {@link ResourceExhaustedException} (cannot fit the budget).
     */
    public CompletableFuture<Resolved> acquire(String model, OptionalLong version) {
        return acquire(
                model, version, System.nanoTime() + TimeUnit.SECONDS.toNanos(ON_DEMAND_LOAD_TIMEOUT_SECONDS), true);
    }

    private CompletableFuture<Resolved> acquire(String model, OptionalLong version, long until, boolean mayWait) {
        CompletableFuture<Void> wait;
        String waitingFor;
        synchronized (lock) {
            try {
                ManagedModel entry = entry(model);
                wait = residency.onDemand() ? demand(entry, version) : null;
                if (wait == null) {
                    return CompletableFuture.completedFuture(pin(entry, version, mayWait));
                }
                waitingFor = "model '" + model + "'" + (version.isPresent() ? " version " + version.getAsLong() : "");
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        if (!mayWait) {
            return CompletableFuture.failedFuture(new UnavailableException(
                    waitingFor + " is loading on demand (--lazy-load / --memory-budget-mb); retry shortly"));
        }
        long left = until - System.nanoTime();
        if (left <= 0) {
            return CompletableFuture.failedFuture(new UnavailableException(
                    waitingFor + " is still loading after " + ON_DEMAND_LOAD_TIMEOUT_SECONDS + " s"));
        }
        // copy(): the timeout must fail only this waiter, not the shared future
        return wait.copy()
                .orTimeout(left, TimeUnit.NANOSECONDS)
                .handle((v, failure) -> failure)
                .thenCompose(failure -> failure == null
                        ? acquire(model, version, until, true)
                        : CompletableFuture.failedFuture(new UnavailableException(
                                waitingFor + " is still loading after " + ON_DEMAND_LOAD_TIMEOUT_SECONDS + " s")));
    }

    /**
     * The asked version, or the newest AVAILABLE one (no traffic split), now and without waiting: for metadata
     * and tools. When the model is managed on demand and not
     * loaded, this starts its load and fails with {@link UnavailableException} saying so (retry shortly).
     */
    public ModelHandle acquireNow(String model, OptionalLong version) {
        CompletableFuture<Resolved> f = acquire(model, version, 0, false);
        try {
            return f.join().handle();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * Lock held. The asked version, or (unversioned) the resolver's choice among the AVAILABLE ones when
     * {@code route}, else the newest AVAILABLE one, pinned.
     */
    private Resolved pin(ManagedModel entry, OptionalLong version, boolean route) {
        ManagedModel.Version v;
        OptionalLong shadow = OptionalLong.empty();
        if (version.isPresent()) {
            v = entry.versions.get(version.getAsLong());
            if (v == null) {
                throw new ModelNotFoundException("model '" + entry.name + "' has no version " + version.getAsLong()
                        + "; its versions are " + entry.versions.keySet());
            }
            if (v.state != ModelState.AVAILABLE) {
                throw new UnavailableException("model '" + entry.name + "' version " + v.version + " is " + v.state
                        + (v.error.isEmpty() ? "" : ": " + v.error) + ", not AVAILABLE");
            }
        } else {
            List<Long> available = available(entry);
            if (available.isEmpty()) {
                throw new UnavailableException(
                        "model '" + entry.name + "' has no AVAILABLE version: " + entry.describe());
            }
            v = entry.versions.get(available.getLast());
            if (route) {
                VersionResolver.Choice choice =
                        VersionResolver.resolve(available, v.loaded.config(), ThreadLocalRandom.current());
                v = entry.versions.get(choice.version());
                shadow = choice.shadow();
            }
        }
        v.handles++;
        v.lastUsed = System.nanoTime();
        ManagedModel.Version pinned = v;
        return new Resolved(new ModelHandle(v.loaded, () -> release(pinned)), shadow);
    }

    private static List<Long> available(ManagedModel entry) {
        List<Long> out = new ArrayList<>(entry.versions.size());
        for (ManagedModel.Version v : entry.versions.values()) {
            if (v.state == ModelState.AVAILABLE) {
                out.add(v.version);
            }
        }
        return out;
    }

    /**
     * The version labels of a model (TF Serving's {@code version_labels}): from its newest AVAILABLE version's
     * config, so that a label change rolls out with it; from the source's config while nothing is loaded.
     */
    public Map<String, Long> versionLabels(String model) {
        synchronized (lock) {
            ManagedModel entry = entry(model);
            List<Long> available = available(entry);
            if (!available.isEmpty()) {
                return entry.versions.get(available.getLast()).loaded.config().versionLabels();
            }
            if (entry.sourceConfig == null) {
                throw new UnavailableException("model '" + model + "' has no AVAILABLE version: " + entry.describe());
            }
            return entry.sourceConfig.versionLabels();
        }
    }

    /** Every version the manager knows of a model, newest first; version 0 stands for the model itself when its source reports it broken. */
    public List<ModelVersionStatus> status(String model) {
        synchronized (lock) {
            ManagedModel entry = entry(model);
            List<ModelVersionStatus> out = new ArrayList<>();
            for (ManagedModel.Version v : entry.versions.descendingMap().values()) {
                out.add(new ModelVersionStatus(model, v.version, v.state, v.error));
            }
            if (entry.brokenReason != null) {
                out.add(new ModelVersionStatus(model, 0, ModelState.FAILED, entry.brokenReason));
            }
            return List.copyOf(out);
        }
    }

    /** AVAILABLE versions of a model, oldest first (empty when none or unknown). */
    public List<Long> availableVersions(String model) {
        synchronized (lock) {
            ManagedModel entry = model == null ? null : models.get(model);
            return entry == null ? List.of() : List.copyOf(available(entry));
        }
    }

    /** Names of every model the manager knows, including broken ones, sorted. */
    public List<String> modelNames() {
        synchronized (lock) {
            return List.copyOf(models.keySet());
        }
    }

    /** Whether a model can serve now or on its first request: something AVAILABLE, or (on demand) an aspired version not FAILED. */
    public boolean servable(String model) {
        synchronized (lock) {
            ManagedModel entry = model == null ? null : models.get(model);
            if (entry == null) {
                return false;
            }
            return entry.versions.values().stream()
                    .anyMatch(v -> v.state == ModelState.AVAILABLE
                            || (residency.onDemand()
                                    && entry.aspired.containsKey(v.version)
                                    && v.state != ModelState.FAILED));
        }
    }

    /**
     * Unloads everything and stops the load threads. Waits for open handles up to {@link #CLOSE_TIMEOUT_SECONDS};
     * after that it logs what is still pinned and returns, leaving those sessions to the process exit.
     */
    @Override
    public void close() {
        CompletableFuture<Void> done;
        CompletableFuture<Void> wake;
        synchronized (lock) {
            if (closed) {
                return;
            }
            models.values().forEach(m -> m.aspired = Map.of());
            new ArrayList<>(models.values()).forEach(this::reconcile);
            closed = true;
            done = settled();
            wake = changed;
            changed = new CompletableFuture<>();
        }
        wake.complete(null); // requests waiting for an on-demand load see the manager closed
        try {
            done.get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.warn("model manager closed with unloads still waiting for open handles: {}", modelNames());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("model manager close failed: {}", e.getCause().toString());
        }
        loaders.shutdown();
        graphLoaders.shutdown();
        unloaders.shutdown();
        try {
            loaders.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the state machine; everything below runs with the lock held unless said otherwise ----

    private void reconcile(ManagedModel entry) {
        List<AvailabilityPreservingPolicy.VersionState> snapshot = entry.versions.values().stream()
                .map(v -> new AvailabilityPreservingPolicy.VersionState(
                        v.version, v.state, entry.aspired.containsKey(v.version)))
                .toList();
        for (AvailabilityPreservingPolicy.Action action : AvailabilityPreservingPolicy.next(snapshot)) {
            ManagedModel.Version v = entry.versions.get(action.version());
            switch (action.kind()) {
                case LOAD -> {
                    if (admit(entry, v, entry.aspired.get(v.version))) {
                        startLoad(entry, v, entry.aspired.get(v.version));
                    }
                }
                case UNLOAD -> startUnload(entry, v);
                case FORGET -> entry.versions.remove(v.version);
            }
        }
        if (entry.versions.isEmpty() && entry.aspired.isEmpty() && entry.brokenReason == null) {
            models.remove(entry.name);
        }
    }

    private void startLoad(ManagedModel entry, ManagedModel.Version v, Loader loader) {
        transition(entry, v, ModelState.LOADING, "");
        inFlight++;
        (loader.waitsForOtherModels() ? graphLoaders : loaders).execute(() -> {
            LoadedModel loaded = null;
            String error = "";
            try {
                loaded = loader.load(); // outside the lock: slow
            } catch (RuntimeException | LinkageError e) {
                error = e.getMessage() != null ? e.getMessage() : e.toString();
            }
            List<CompletableFuture<Void>> wake;
            boolean recheck = false;
            synchronized (lock) {
                if (loaded != null) {
                    v.loader = loader;
                    v.loaded = loaded;
                    transition(entry, v, ModelState.AVAILABLE, "");
                    recheck = startRecheck(entry.name);
                } else {
                    transition(entry, v, ModelState.FAILED, error);
                }
                wake = finished(entry);
            }
            wake.forEach(f -> f.complete(null)); // outside the lock: callers' callbacks may run here
            if (recheck) {
                recheckDependents(entry.name);
            }
        });
    }

    private void startUnload(ManagedModel entry, ManagedModel.Version v) {
        transition(entry, v, ModelState.UNLOADING, "");
        inFlight++;
        unloaders.execute(() -> {
            Loader loader;
            synchronized (lock) {
                while (v.handles > 0) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                loader = v.loader;
                v.loader = null;
                v.loaded = null;
            }
            try {
                loader.unload(); // outside the lock: frees native memory
            } catch (RuntimeException e) {
                LOG.warn("model '{}' version {}: closing the session failed: {}", entry.name, v.version, e.toString());
            }
            List<CompletableFuture<Void>> wake;
            boolean recheck;
            synchronized (lock) {
                transition(entry, v, ModelState.END, "");
                recheck = startRecheck(entry.name);
                wake = finished(entry);
            }
            wake.forEach(f -> f.complete(null));
            if (recheck) {
                recheckDependents(entry.name);
            }
        });
    }

    /** A version that depends on another model (an ensemble), with the loader that loaded (or will load) it. */
    private record Dependent(ManagedModel entry, ManagedModel.Version version, Loader loader) {}

    /**
     * Lock held. Whether some other model's version depends on {@code model}, whose served versions just changed; if
     * so the recheck counts as in flight (so {@link #settled()} waits for it) until {@link #recheckDependents} ends.
     */
    private boolean startRecheck(String model) {
        if (closed || dependents(model).isEmpty()) {
            return false;
        }
        inFlight++;
        return true;
    }

    /** Lock held. The AVAILABLE versions that depend on {@code model}, and the FAILED aspired ones that would. */
    private List<Dependent> dependents(String model) {
        List<Dependent> out = new ArrayList<>();
        for (ManagedModel e : models.values()) {
            if (e.name.equals(model)) {
                continue;
            }
            for (ManagedModel.Version v : e.versions.values()) {
                Loader loader = v.state == ModelState.AVAILABLE
                        ? v.loader
                        : v.state == ModelState.FAILED ? e.aspired.get(v.version) : null;
                if (loader != null && loader.dependsOn().contains(model)) {
                    out.add(new Dependent(e, v, loader));
                }
            }
        }
        return out;
    }

    /**
     * After {@code model}'s served versions changed (a version became AVAILABLE or ended), on the thread that changed
     * them, outside the lock: each AVAILABLE version depending on it is checked again ({@link Loader#recheck}), and one
     * that no longer fits is unloaded, so the policy loads it again and that load's check leaves it FAILED with the
     * reason; each FAILED aspired version depending on it is tried again (it serves once what it needs fits again).
     */
    private void recheckDependents(String model) {
        List<Dependent> found;
        synchronized (lock) {
            found = dependents(model);
        }
        List<Dependent> misfits = new ArrayList<>();
        for (Dependent d : found) {
            if (d.version().state != ModelState.AVAILABLE) {
                continue;
            }
            try {
                d.loader().recheck().ifPresent(why -> {
                    LOG.warn(
                            "model '{}' version {}: model '{}' changed and no longer fits: {}; loading it again",
                            d.entry().name,
                            d.version().version,
                            model,
                            why);
                    misfits.add(d);
                });
            } catch (RuntimeException e) {
                LOG.warn(
                        "model '{}' version {}: checking it again after model '{}' changed failed: {}",
                        d.entry().name,
                        d.version().version,
                        model,
                        e.toString());
            }
        }
        List<CompletableFuture<Void>> wake;
        synchronized (lock) {
            for (Dependent d : found) {
                ManagedModel.Version v = d.version();
                boolean current = !closed
                        && models.get(d.entry().name) == d.entry()
                        && d.entry().versions.get(v.version) == v;
                if (current && misfits.contains(d) && v.state == ModelState.AVAILABLE && v.loader == d.loader()) {
                    startUnload(d.entry(), v);
                } else if (current
                        && v.state == ModelState.FAILED
                        && d.entry().aspired.containsKey(v.version)) {
                    LOG.info(
                            "model '{}' version {}: model '{}' changed; loading it again",
                            d.entry().name,
                            v.version,
                            model);
                    ManagedModel.Version fresh = new ManagedModel.Version(v.version);
                    fresh.fingerprint = v.fingerprint;
                    d.entry().versions.put(v.version, fresh);
                    reconcile(d.entry());
                }
            }
            wake = finished(null);
        }
        wake.forEach(f -> f.complete(null));
    }

    /**
     * Ends one transition (or recheck, {@code entry} null) in flight; returns the futures to complete after the lock is released: the on-demand
     * waiters always, the settled waiters when nothing is left in flight.
     */
    private List<CompletableFuture<Void>> finished(ManagedModel entry) {
        inFlight--;
        if (entry != null && models.get(entry.name) == entry) {
            reconcile(entry);
        }
        List<CompletableFuture<Void>> wake = new ArrayList<>();
        wake.add(changed);
        changed = new CompletableFuture<>();
        if (inFlight == 0) {
            wake.addAll(settledWaiters);
            settledWaiters.clear();
        }
        return wake;
    }

    /** The one method that changes a version's state. */
    private void transition(ManagedModel entry, ManagedModel.Version v, ModelState to, String error) {
        ModelState from = v.state;
        if (!ALLOWED.get(from).contains(to)) {
            throw new IllegalStateException(
                    "model '" + entry.name + "' version " + v.version + ": no transition " + from + " -> " + to);
        }
        v.state = to;
        v.error = error;
        if (to == ModelState.FAILED) {
            LOG.warn("model '{}' version {}: {} -> FAILED: {}", entry.name, v.version, from, error);
        } else {
            LOG.info("model '{}' version {}: {} -> {}", entry.name, v.version, from, to);
        }
        try {
            listener.onTransition(new ModelStateListener.Event(entry.name, v.version, from, to, error));
        } catch (RuntimeException e) {
            LOG.warn("model state listener failed on {} -> {}: {}", from, to, e.toString());
        }
    }

    private void release(ManagedModel.Version v) {
        synchronized (lock) {
            v.handles--;
            if (v.handles == 0) {
                lock.notifyAll(); // an unload waiting for the last handle
            }
        }
    }

    private ManagedModel entry(String model) {
        ManagedModel entry = model == null ? null : models.get(model);
        if (entry == null) {
            throw new ModelNotFoundException("model '" + model + "' not found; known models are " + models.keySet()
                    + dev.pier.api.Suggestions.didYouMean(model, models.keySet()));
        }
        return entry;
    }

    // ---- residency: the tracker decides, the manager carries it out (lock held) ----

    /** Whether the policy's LOAD of this version may start now; unloads what the tracker evicts to make room. */
    private boolean admit(ManagedModel entry, ManagedModel.Version v, Loader loader) {
        if (!residency.onDemand()) {
            return true;
        }
        long needed = loader.estimatedBytes();
        List<MemoryBudget.Resident> resident = new ArrayList<>();
        Map<String, ManagedModel.Version> byKey = new HashMap<>();
        Map<String, ManagedModel> owners = new HashMap<>();
        for (ManagedModel m : models.values()) {
            for (ManagedModel.Version r : m.versions.values()) {
                if (r.state == ModelState.LOADING || r.state == ModelState.AVAILABLE) {
                    String key = key(m, r);
                    // a LOADING version cannot be unloaded yet: treat it as pinned
                    resident.add(new MemoryBudget.Resident(
                            key, r.sizeBytes, r.lastUsed, r.handles > 0 || r.state == ModelState.LOADING));
                    byKey.put(key, r);
                    owners.put(key, m);
                }
            }
        }
        switch (residency.admit(key(entry, v), v.demanded, needed, resident)) {
            case ResidencyTracker.Defer d -> {
                return false; // stays START/END: loads on its first request
            }
            case ResidencyTracker.Refuse r -> {
                v.refusal = r.reason();
                v.demanded = false;
                LOG.warn("{}", r.reason());
                return false;
            }
            case ResidencyTracker.Load load -> {
                for (MemoryBudget.Resident r : load.evict()) {
                    ManagedModel.Version victim = byKey.get(r.key());
                    victim.demanded = false;
                    LOG.info(
                            "memory budget: unloading least recently used model {} ({}) to load '{}' version {} ({})",
                            r.key(),
                            MemoryBudget.mb(r.bytes()),
                            entry.name,
                            v.version,
                            MemoryBudget.mb(needed));
                    startUnload(owners.get(r.key()), victim);
                }
                v.sizeBytes = needed;
                v.refusal = null;
                return true;
            }
        }
    }

    private static String key(ManagedModel m, ManagedModel.Version v) {
        return "'" + m.name + "' version " + v.version;
    }

    /**
     * On-demand loading, without waiting: when the asked version (or, without one, the model) has nothing
     * AVAILABLE, asks for its load and returns a future that completes when a load or unload ends (the caller
     * then tries again); null when nothing needs loading (pinning then succeeds or says why not). Throws 507
     * when the load cannot fit the budget.
     */
    private CompletableFuture<Void> demand(ManagedModel entry, OptionalLong version) {
        ManagedModel.Version target;
        if (version.isPresent()) {
            target = entry.versions.get(version.getAsLong());
        } else {
            if (entry.versions.values().stream().anyMatch(x -> x.state == ModelState.AVAILABLE)) {
                return null;
            }
            target = entry.versions.descendingMap().values().stream()
                    .filter(x -> entry.aspired.containsKey(x.version) && x.state != ModelState.FAILED)
                    .findFirst()
                    .orElse(null);
        }
        if (closed
                || target == null
                || target.state == ModelState.AVAILABLE
                || target.state == ModelState.FAILED
                || !entry.aspired.containsKey(target.version)) {
            return null;
        }
        if (target.state == ModelState.START || target.state == ModelState.END) {
            target.demanded = true;
            target.lastUsed = System.nanoTime();
            reconcile(entry);
            if (target.refusal != null && (target.state == ModelState.START || target.state == ModelState.END)) {
                String why = target.refusal;
                target.refusal = null;
                throw new ResourceExhaustedException(why);
            }
            if (target.state == ModelState.START || target.state == ModelState.END) {
                throw new UnavailableException(
                        "model '" + entry.name + "' version " + target.version + " could not start loading");
            }
        }
        return changed; // LOADING (or UNLOADING before it can load again): try again when it ends
    }

    /**
     * Size and modification time of a model file and of its folder (external data files change the folder); for a
     * version without a model file (ensembles, processing steps), the modification time of the model's config.yaml.
     */
    static String fingerprint(java.nio.file.Path modelFile) {
        try {
            java.nio.file.Path dir = modelFile.getParent();
            // an ensemble or processing step has no model file: its config.yaml is what a fix changes
            java.nio.file.Path config = dir == null || dir.getParent() == null
                    ? null
                    : dir.getParent().resolve("config.yaml");
            String configPrint = config != null && java.nio.file.Files.isRegularFile(config)
                    ? "+" + java.nio.file.Files.getLastModifiedTime(config).toMillis()
                    : "";
            if (!java.nio.file.Files.exists(modelFile)) {
                return "no model file" + configPrint;
            }
            return java.nio.file.Files.size(modelFile) + "@"
                    + java.nio.file.Files.getLastModifiedTime(modelFile).toMillis()
                    + (dir != null
                            ? "/" + java.nio.file.Files.getLastModifiedTime(dir).toMillis()
                            : "");
        } catch (java.io.IOException | RuntimeException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
