package dev.pier.serving;

import dev.pier.api.ModelNotFoundException;
import dev.pier.api.ModelState;
import dev.pier.api.ModelVersionStatus;
import dev.pier.api.ResourceExhaustedException;
import dev.pier.api.UnavailableException;
import dev.pier.repository.AspiredVersion;
import dev.pier.repository.SourcedModel;
import dev.pier.runtime.InferenceEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Applies what a {@link dev.pier.repository.ModelSource} aspires: loads and unloads model versions, as the
 * {@link AvailabilityPreservingPolicy} decides, and hands out {@link ModelHandle}s.
 *
 * <p>Owns the state machine of every version ({@link ModelState}); {@link #transition} is the one place that
 * changes a state, and it tells the {@link ModelStateListener} about each change. Loads run in parallel on
 * {@code loadThreads} threads; a failed load leaves that version FAILED with the reason and does not stop
 * the others. Unloads wait until every handle on the version is closed.
 *
 * <p>Thread-safe: all state is guarded by one lock, held only for bookkeeping, never while loading,
 * unloading or running a model. Owns the sessions it loads (closed on unload and on {@link #close()}); the
 * engine stays the caller's.
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

    private final InferenceEngine engine;
    private final ModelStateListener listener;
    private final ExecutorService loaders;
    private final ExecutorService unloaders;
    private final Object lock = new Object();
    private final Map<String, ManagedModel> models = new TreeMap<>();
    private final List<CompletableFuture<Void>> settledWaiters = new ArrayList<>();
    private final dev.pier.batching.SchedulingDefaults scheduling;
    private int inFlight;
    private boolean closed;
    /** Bytes loaded versions may hold together (estimated); 0 = unlimited. */
    private final long budgetBytes;
    /** Load versions only when a request asks for them. */
    private final boolean lazy;

    /** How long a request waits for the on-demand load of its model. */
    public static final long ON_DEMAND_LOAD_TIMEOUT_SECONDS = 120;

    /**
     * @param loadThreads how many versions load at once (TF Serving's {@code num_load_threads}); >= 1
     */
    public ModelManager(InferenceEngine engine, int loadThreads, ModelStateListener listener) {
        this(engine, loadThreads, listener, dev.pier.batching.SchedulingDefaults.ofMachine());
    }

    /** @param scheduling executions and queue bound of versions whose config does not set them */
    public ModelManager(InferenceEngine engine, int loadThreads, ModelStateListener listener,
                        dev.pier.batching.SchedulingDefaults scheduling) {
        this(engine, loadThreads, listener, scheduling, 0, false);
    }

    /**
     * @param budgetBytes estimated bytes the loaded versions may hold together; 0 = unlimited. Past it, least
     *                    recently used unpinned versions are unloaded, and a load that still cannot fit is refused
     *                    with {@link ResourceExhaustedException}
     * @param lazy        load a version only when the first request asks for it
     */
    public ModelManager(InferenceEngine engine, int loadThreads, ModelStateListener listener,
                        dev.pier.batching.SchedulingDefaults scheduling, long budgetBytes, boolean lazy) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("the memory budget must be >= 0 bytes (0 = unlimited), got " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
        this.lazy = lazy;
        this.scheduling = scheduling;
        if (loadThreads < 1) {
            throw new IllegalArgumentException("loadThreads must be >= 1, got " + loadThreads);
        }
        this.engine = engine;
        this.listener = listener;
        this.loaders = Executors.newFixedThreadPool(loadThreads, named("pier-load-"));
        this.unloaders = Executors.newCachedThreadPool(named("pier-unload-"));
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
                        Map<Long, ModelLoader> aspired = new HashMap<>();
                        for (AspiredVersion v : a.versions()) {
                            aspired.put(v.version(), new ModelLoader(a.name(), v, a.config(), a.directory(), engine, scheduling));
                            String print = fingerprint(v.modelFile());
                            ManagedModel.Version known = entry.versions.get(v.version());
                            if (known == null || (known.state == ModelState.FAILED && !print.equals(known.fingerprint))) {
                                // a FAILED version stays FAILED until its files change (a half-copied file, a fix
                                // dropped in place); then it is a new attempt, starting from START
                                if (known != null) {
                                    LOG.info("model '{}' version {}: files changed since it FAILED; loading again", a.name(), v.version());
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
     * A handle on the given version, or on the newest AVAILABLE one when {@code version} is empty.
     *
     * @throws ModelNotFoundException no such model, or no such version of it
     * @throws UnavailableException   the model or version exists but is not AVAILABLE now
     */
    public ModelHandle acquire(String model, OptionalLong version) {
        synchronized (lock) {
            ManagedModel entry = entry(model);
            if (onDemand()) {
                loadOnDemand(entry, version);
            }
            ManagedModel.Version v;
            if (version.isPresent()) {
                v = entry.versions.get(version.getAsLong());
                if (v == null) {
                    throw new ModelNotFoundException("model '" + model + "' has no version " + version.getAsLong()
                            + "; its versions are " + entry.versions.keySet());
                }
                if (v.state != ModelState.AVAILABLE) {
                    throw new UnavailableException("model '" + model + "' version " + v.version + " is " + v.state
                            + (v.error.isEmpty() ? "" : ": " + v.error) + ", not AVAILABLE");
                }
            } else {
                v = entry.versions.descendingMap().values().stream()
                        .filter(e -> e.state == ModelState.AVAILABLE).findFirst()
                        .orElseThrow(() -> new UnavailableException("model '" + model + "' has no AVAILABLE version: "
                                + entry.describe()));
            }
            v.handles++;
            v.lastUsed = System.nanoTime();
            ManagedModel.Version pinned = v;
            return new ModelHandle(v.loaded, () -> release(pinned));
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
            if (entry == null) {
                return List.of();
            }
            return entry.versions.values().stream().filter(v -> v.state == ModelState.AVAILABLE).map(v -> v.version).toList();
        }
    }

    /** Names of every model the manager knows, including broken ones, sorted. */
    public List<String> modelNames() {
        synchronized (lock) {
            return List.copyOf(models.keySet());
        }
    }

    /**
     * Unloads everything and stops the load threads. Waits for open handles up to {@link #CLOSE_TIMEOUT_SECONDS};
     * after that it logs what is still pinned and returns, leaving those sessions to the process exit.
     */
    @Override
    public void close() {
        CompletableFuture<Void> done;
        synchronized (lock) {
            if (closed) {
                return;
            }
            models.values().forEach(m -> m.aspired = Map.of());
            new ArrayList<>(models.values()).forEach(this::reconcile);
            closed = true;
            done = settled();
        }
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
                .map(v -> new AvailabilityPreservingPolicy.VersionState(v.version, v.state, entry.aspired.containsKey(v.version)))
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

    private void startLoad(ManagedModel entry, ManagedModel.Version v, ModelLoader loader) {
        transition(entry, v, ModelState.LOADING, "");
        inFlight++;
        loaders.execute(() -> {
            LoadedModel loaded = null;
            String error = "";
            try {
                loaded = loader.load();   // outside the lock: slow
            } catch (RuntimeException | LinkageError e) {
                error = e.getMessage() != null ? e.getMessage() : e.toString();
            }
            List<CompletableFuture<Void>> settledNow;
            synchronized (lock) {
                if (loaded != null) {
                    v.loader = loader;
                    v.loaded = loaded;
                    transition(entry, v, ModelState.AVAILABLE, "");
                } else {
                    transition(entry, v, ModelState.FAILED, error);
                }
                settledNow = finished(entry);
            }
            settledNow.forEach(f -> f.complete(null));   // outside the lock: callers' callbacks may run here
        });
    }

    private void startUnload(ManagedModel entry, ManagedModel.Version v) {
        transition(entry, v, ModelState.UNLOADING, "");
        inFlight++;
        unloaders.execute(() -> {
            ModelLoader loader;
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
                loader.unload();   // outside the lock: frees native memory
            } catch (RuntimeException e) {
                LOG.warn("model '{}' version {}: closing the session failed: {}", entry.name, v.version, e.toString());
            }
            List<CompletableFuture<Void>> settledNow;
            synchronized (lock) {
                transition(entry, v, ModelState.END, "");
                settledNow = finished(entry);
            }
            settledNow.forEach(f -> f.complete(null));
        });
    }

    /** Ends one transition in flight; returns the waiters to complete (after the lock is released) when none is left. */
    private List<CompletableFuture<Void>> finished(ManagedModel entry) {
        inFlight--;
        if (models.get(entry.name) == entry) {
            reconcile(entry);
        }
        if (inFlight > 0) {
            return List.of();
        }
        List<CompletableFuture<Void>> waiters = List.copyOf(settledWaiters);
        settledWaiters.clear();
        return waiters;
    }

    /** The one method that changes a version's state. */
    private void transition(ManagedModel entry, ManagedModel.Version v, ModelState to, String error) {
        ModelState from = v.state;
        if (!ALLOWED.get(from).contains(to)) {
            throw new IllegalStateException("model '" + entry.name + "' version " + v.version + ": no transition " + from + " -> " + to);
        }
        v.state = to;
        v.error = error;
        lock.notifyAll();   // requests waiting for an on-demand load
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
                lock.notifyAll();
            }
        }
    }

    private ManagedModel entry(String model) {
        ManagedModel entry = model == null ? null : models.get(model);
        if (entry == null) {
            throw new ModelNotFoundException("model '" + model + "' not found; known models are " + models.keySet());
        }
        return entry;
    }

    // ---- memory budget and on-demand loading (lock held) ----

    private boolean onDemand() {
        return lazy || budgetBytes > 0;
    }

    /**
     * Whether the policy's LOAD of this version may start now. Without a budget or lazy loading: always. Otherwise
     * a version no request asked for loads only when it fits without unloading anything (never with --lazy-load);
     * a requested one unloads least recently used unpinned versions to fit, or records why it cannot.
     */
    private boolean admit(ManagedModel entry, ManagedModel.Version v, ModelLoader loader) {
        if (!onDemand()) {
            return true;
        }
        if (lazy && !v.demanded) {
            return false;
        }
        long needed = loader.estimatedBytes();
        List<MemoryBudget.Resident> resident = new ArrayList<>();
        Map<String, ManagedModel.Version> byKey = new HashMap<>();
        for (ManagedModel m : models.values()) {
            for (ManagedModel.Version r : m.versions.values()) {
                if (r.state == ModelState.LOADING || r.state == ModelState.AVAILABLE) {
                    String key = "'" + m.name + "' version " + r.version;
                    // a LOADING version cannot be unloaded yet: treat it as pinned
                    resident.add(new MemoryBudget.Resident(key, r.sizeBytes, r.lastUsed,
                            r.handles > 0 || r.state == ModelState.LOADING));
                    byKey.put(key, r);
                }
            }
        }
        java.util.Optional<List<MemoryBudget.Resident>> evict = MemoryBudget.evictions(budgetBytes, needed, resident);
        if (!v.demanded) {
            if (evict.isEmpty() || !evict.get().isEmpty()) {
                return false;   // stays START/END: loads on its first request
            }
        } else if (evict.isEmpty()) {
            v.refusal = refusal(entry, v, needed, resident);
            v.demanded = false;
            LOG.warn("{}", v.refusal);
            return false;
        }
        for (MemoryBudget.Resident r : evict.get()) {
            ManagedModel.Version victim = byKey.get(r.key());
            victim.demanded = false;
            LOG.info("memory budget: unloading least recently used model {} ({}) to load '{}' version {} ({})",
                    r.key(), MemoryBudget.mb(r.bytes()), entry.name, v.version, MemoryBudget.mb(needed));
            startUnload(owner(victim), victim);
        }
        v.sizeBytes = needed;
        v.refusal = null;
        return true;
    }

    private ManagedModel owner(ManagedModel.Version v) {
        return models.values().stream().filter(m -> m.versions.get(v.version) == v).findFirst().orElseThrow();
    }

    private String refusal(ManagedModel entry, ManagedModel.Version v, long needed, List<MemoryBudget.Resident> resident) {
        String held = resident.isEmpty() ? "nothing" : String.join(", ", resident.stream()
                .map(r -> r.key() + " " + MemoryBudget.mb(r.bytes()) + (r.pinned() ? " (in use)" : "")).toList());
        String why = needed > budgetBytes ? "it is larger than the whole budget"
                : "the models that hold the rest are in use by in-flight requests";
        return "cannot load model '" + entry.name + "' version " + v.version + ": it needs about " + MemoryBudget.mb(needed)
                + " (its file size) and the memory budget (--memory-budget-mb) is " + MemoryBudget.mb(budgetBytes)
                + "; " + why + ". Loaded now: " + held;
    }

    /**
     * With on-demand loading: when the asked version (or, without one, the model) has nothing AVAILABLE, asks for
     * the load and waits for it (concurrent requests wait for the same load). Throws 507 when it cannot fit.
     */
    private void loadOnDemand(ManagedModel entry, OptionalLong version) {
        ManagedModel.Version target;
        if (version.isPresent()) {
            target = entry.versions.get(version.getAsLong());
        } else {
            if (entry.versions.values().stream().anyMatch(x -> x.state == ModelState.AVAILABLE)) {
                return;
            }
            target = entry.versions.descendingMap().values().stream()
                    .filter(x -> entry.aspired.containsKey(x.version) && x.state != ModelState.FAILED)
                    .findFirst().orElse(null);
        }
        if (target == null || target.state == ModelState.AVAILABLE || !entry.aspired.containsKey(target.version)) {
            return;
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(ON_DEMAND_LOAD_TIMEOUT_SECONDS);
        while (target.state != ModelState.AVAILABLE && target.state != ModelState.FAILED && !closed) {
            if (target.state == ModelState.START || target.state == ModelState.END) {
                if (!entry.aspired.containsKey(target.version)) {
                    return;
                }
                target.demanded = true;
                target.lastUsed = System.nanoTime();
                reconcile(entry);
                if (target.refusal != null && (target.state == ModelState.START || target.state == ModelState.END)) {
                    String why = target.refusal;
                    target.refusal = null;
                    throw new ResourceExhaustedException(why);
                }
                if (target.state == ModelState.START || target.state == ModelState.END) {
                    throw new UnavailableException("model '" + entry.name + "' version " + target.version + " could not start loading");
                }
                continue;
            }
            long left = until - System.nanoTime();
            if (left <= 0) {
                throw new UnavailableException("model '" + entry.name + "' version " + target.version + " is still "
                        + target.state + " after " + ON_DEMAND_LOAD_TIMEOUT_SECONDS + " s");
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(lock, left);   // LOADING or UNLOADING: wait for its end
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("interrupted while waiting for model '" + entry.name + "' to load");
            }
        }
    }

    /** Whether acquiring this model (version) now would have to wait for an on-demand load. */
    public boolean needsLoad(String model, OptionalLong version) {
        if (!onDemand()) {
            return false;
        }
        synchronized (lock) {
            ManagedModel entry = model == null ? null : models.get(model);
            if (entry == null) {
                return false;
            }
            if (version.isPresent()) {
                ManagedModel.Version v = entry.versions.get(version.getAsLong());
                return v != null && v.state != ModelState.AVAILABLE && v.state != ModelState.FAILED;
            }
            return entry.versions.values().stream().noneMatch(v -> v.state == ModelState.AVAILABLE);
        }
    }

    /** Whether a model can serve now or on its first request: something AVAILABLE, or (on demand) an aspired version not FAILED. */
    public boolean servable(String model) {
        synchronized (lock) {
            ManagedModel entry = model == null ? null : models.get(model);
            if (entry == null) {
                return false;
            }
            return entry.versions.values().stream().anyMatch(v -> v.state == ModelState.AVAILABLE
                    || (onDemand() && entry.aspired.containsKey(v.version) && v.state != ModelState.FAILED));
        }
    }

    /** Size and modification time of a model file and of its folder (external data files change the folder). */
    static String fingerprint(java.nio.file.Path modelFile) {
        try {
            java.nio.file.Path dir = modelFile.getParent();
            return java.nio.file.Files.size(modelFile) + "@" + java.nio.file.Files.getLastModifiedTime(modelFile).toMillis()
                    + (dir != null ? "/" + java.nio.file.Files.getLastModifiedTime(dir).toMillis() : "");
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
