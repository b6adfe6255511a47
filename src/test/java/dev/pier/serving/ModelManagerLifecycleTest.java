package dev.pier.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.DataType;
import dev.pier.api.ModelSignature;
import dev.pier.api.ModelState;
import dev.pier.api.ResourceExhaustedException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import dev.pier.api.UnavailableException;
import dev.pier.batching.Batched;
import dev.pier.batching.ScheduledSession;
import dev.pier.repository.AspiredVersion;
import dev.pier.repository.ModelConfig;
import dev.pier.repository.SourcedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The manager's state machine and residency with a fake {@link Loader} (the interface boundary the manager is
 * built against): no ONNX Runtime, loads held and failed at will.
 */
class ModelManagerLifecycleTest {
    private static final ModelSignature SIGNATURE = new ModelSignature(
            List.of(new TensorSpec("input", DataType.FP32, Shape.of(-1, 4))),
            List.of(new TensorSpec("output", DataType.FP32, Shape.of(-1, 3))));
    private static final Path DIR = Path.of("/nonexistent/models");

    private final List<ModelStateListener.Event> events = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, FakeLoader> loaders = new ConcurrentHashMap<>();

    /** A loader whose load can be held at a gate, made to fail, and counted. */
    static final class FakeLoader implements Loader {
        final String model;
        final long version;
        final ModelConfig config;
        volatile long bytes = 400;
        volatile String failure;
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile String loadThread;
        final AtomicInteger loads = new AtomicInteger();
        final AtomicInteger unloads = new AtomicInteger();

        FakeLoader(String model, long version, ModelConfig config) {
            this.model = model;
            this.version = version;
            this.config = config;
        }

        @Override
        public LoadedModel load() {
            loadThread = Thread.currentThread().getName();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            loads.incrementAndGet();
            return new LoadedModel(model, version, new NoSession(), SIGNATURE, config, Map.of());
        }

        @Override
        public void unload() {
            unloads.incrementAndGet();
        }

        @Override
        public long estimatedBytes() {
            return bytes;
        }
    }

    /** The manager never runs a session; one that answers nothing is enough to be held by a loaded version. */
    static final class NoSession implements ScheduledSession {
        @Override
        public CompletableFuture<Batched> submit(
                Map<String, Tensor> inputs, List<String> outputNames, long deadlineNanos) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("no runtime in this test"));
        }

        @Override
        public int queueDepth() {
            return 0;
        }

        @Override
        public void close() {}
    }

    private FakeLoader loader(String model, long version) {
        return loaders.computeIfAbsent(
                model + "/" + version, k -> new FakeLoader(model, version, ModelConfig.defaults(model)));
    }

    private ModelManager manager(ResidencyTracker residency) {
        LoaderFactory factory = (model, v, config, dir) ->
                loaders.computeIfAbsent(model + "/" + v.version(), k -> new FakeLoader(model, v.version(), config));
        return new ModelManager(factory, 2, events::add, residency);
    }

    private static SourcedModel aspired(String model, long... versions) {
        return new SourcedModel.Aspired(
                model,
                ModelConfig.defaults(model),
                DIR.resolve(model),
                Arrays.stream(versions)
                        .mapToObj(v -> new AspiredVersion(v, DIR.resolve(model + "/" + v + "/model.onnx")))
                        .toList());
    }

    private static ModelState state(ModelManager m, String model, long version) {
        return m.status(model).stream()
                .filter(s -> s.version() == version)
                .findFirst()
                .orElseThrow()
                .state();
    }

    private List<String> transitions(String model, long version) {
        synchronized (events) {
            return events.stream()
                    .filter(e -> e.model().equals(model) && e.version() == version)
                    .map(e -> e.from() + "->" + e.to())
                    .toList();
        }
    }

    private int indexOf(String model, long version, ModelState to) {
        synchronized (events) {
            for (int i = 0; i < events.size(); i++) {
                ModelStateListener.Event e = events.get(i);
                if (e.model().equals(model) && e.version() == version && e.to() == to) {
                    return i;
                }
            }
        }
        return -1;
    }

    @Test
    void everyVersionGoesThroughLoadingToAvailableAndTheNewestServes() throws Exception {
        try (ModelManager m = manager(ResidencyTracker.unlimited())) {
            m.apply(List.of(aspired("m", 2, 1))).get(30, TimeUnit.SECONDS);
            assertThat(transitions("m", 1)).containsExactly("START->LOADING", "LOADING->AVAILABLE");
            assertThat(transitions("m", 2)).containsExactly("START->LOADING", "LOADING->AVAILABLE");
            try (ModelHandle h = m.acquire("m", OptionalLong.empty())
                    .get(30, TimeUnit.SECONDS)
                    .handle()) {
                assertThat(h.version()).isEqualTo(2);
                assertThat(h.signature()).isEqualTo(SIGNATURE);
            }
            assertThat(m.availableVersions("m")).containsExactly(1L, 2L);
        }
        assertThat(loader("m", 1).unloads).as("close unloads every version").hasValue(1);
        assertThat(transitions("m", 2)).endsWith("AVAILABLE->UNLOADING", "UNLOADING->END");
    }

    @Test
    void aFailedLoadIsFailedWithItsReasonAndDoesNotStopTheOthers() throws Exception {
        loader("bad", 1).failure = "weights of 'bad' are truncated";
        try (ModelManager m = manager(ResidencyTracker.unlimited())) {
            m.apply(List.of(aspired("bad", 1), aspired("good", 1))).get(30, TimeUnit.SECONDS);
            assertThat(m.status("bad")).singleElement().satisfies(s -> {
                assertThat(s.state()).isEqualTo(ModelState.FAILED);
                assertThat(s.error()).isEqualTo("weights of 'bad' are truncated");
            });
            assertThat(transitions("bad", 1)).containsExactly("START->LOADING", "LOADING->FAILED");
            assertThat(state(m, "good", 1)).isEqualTo(ModelState.AVAILABLE);
            assertThat(failure(m.acquire("bad", OptionalLong.empty())))
                    .isInstanceOf(UnavailableException.class)
                    .hasMessageContaining("truncated");
            // a FAILED version stays FAILED on the next scan while its files do not change: no new attempt
            m.apply(List.of(aspired("bad", 1), aspired("good", 1))).get(30, TimeUnit.SECONDS);
            assertThat(transitions("bad", 1)).hasSize(2);
        }
    }

    @Test
    void aRolloutKeepsTheOldVersionServingUntilTheNewOneIsAvailable() throws Exception {
        try (ModelManager m = manager(ResidencyTracker.unlimited())) {
            m.apply(List.of(aspired("m", 1))).get(30, TimeUnit.SECONDS);
            FakeLoader v2 = loader("m", 2);
            v2.gate = new CountDownLatch(1);
            CompletableFuture<Void> rolled = m.apply(List.of(aspired("m", 2)));
            assertThat(state(m, "m", 2)).isEqualTo(ModelState.LOADING);
            assertThat(state(m, "m", 1))
                    .as("still serving while version 2 loads")
                    .isEqualTo(ModelState.AVAILABLE);
            try (ModelHandle h = m.acquire("m", OptionalLong.empty())
                    .get(30, TimeUnit.SECONDS)
                    .handle()) {
                assertThat(h.version()).isEqualTo(1);
            }
            v2.gate.countDown();
            rolled.get(30, TimeUnit.SECONDS);
            assertThat(m.availableVersions("m")).containsExactly(2L);
            assertThat(loader("m", 1).unloads).hasValue(1);
            assertThat(indexOf("m", 1, ModelState.UNLOADING))
                    .as("version 1 unloads only after version 2 is AVAILABLE")
                    .isGreaterThan(indexOf("m", 2, ModelState.AVAILABLE));
        }
    }

    @Test
    void anOnDemandLoadCompletesTheAcquireOnTheLoadThreadNeverOnTheCallers() throws Exception {
        try (ModelManager m = manager(new ResidencyTracker(0, true))) {
            m.apply(List.of(aspired("m", 1))).get(30, TimeUnit.SECONDS);
            assertThat(state(m, "m", 1))
                    .as("lazy: nothing loads before a request")
                    .isEqualTo(ModelState.START);
            FakeLoader v1 = loader("m", 1);
            v1.gate = new CountDownLatch(1);
            CompletableFuture<ModelManager.Resolved> pending = m.acquire("m", OptionalLong.empty());
            assertThat(pending)
                    .as("the caller's thread does not wait for the load")
                    .isNotDone();
            assertThat(state(m, "m", 1)).isEqualTo(ModelState.LOADING);
            assertThatThrownBy(() -> m.acquireNow("m", OptionalLong.empty()))
                    .isInstanceOf(UnavailableException.class)
                    .hasMessageContaining("loading on demand");
            v1.gate.countDown();
            try (ModelHandle h = pending.get(30, TimeUnit.SECONDS).handle()) {
                assertThat(h.version()).isEqualTo(1);
            }
            assertThat(v1.loadThread)
                    .startsWith("pier-load-")
                    .isNotEqualTo(Thread.currentThread().getName());
        }
    }

    @Test
    void underAMemoryBudgetTheLeastRecentlyUsedIdleVersionMakesRoom() throws Exception {
        // three models of 400 bytes, room for two
        try (ModelManager m = manager(new ResidencyTracker(1000, true))) {
            m.apply(List.of(aspired("a", 1), aspired("b", 1), aspired("c", 1))).get(30, TimeUnit.SECONDS);
            m.acquire("a", OptionalLong.empty())
                    .get(30, TimeUnit.SECONDS)
                    .handle()
                    .close();
            ModelHandle b = m.acquire("b", OptionalLong.empty())
                    .get(30, TimeUnit.SECONDS)
                    .handle();
            m.acquire("c", OptionalLong.empty())
                    .get(30, TimeUnit.SECONDS)
                    .handle()
                    .close();
            m.settled().get(30, TimeUnit.SECONDS);
            assertThat(state(m, "a", 1))
                    .as("least recently used: unloaded for c")
                    .isEqualTo(ModelState.END);
            assertThat(loader("a", 1).unloads).hasValue(1);
            assertThat(state(m, "b", 1)).isEqualTo(ModelState.AVAILABLE);
            assertThat(state(m, "c", 1)).isEqualTo(ModelState.AVAILABLE);
            // b is pinned by a request and c is idle: a comes back in c's place, never in b's
            m.acquire("a", OptionalLong.empty())
                    .get(30, TimeUnit.SECONDS)
                    .handle()
                    .close();
            m.settled().get(30, TimeUnit.SECONDS);
            assertThat(state(m, "c", 1)).isEqualTo(ModelState.END);
            assertThat(state(m, "b", 1)).isEqualTo(ModelState.AVAILABLE);
            // a version larger than the whole budget is refused, saying so
            loader("big", 1).bytes = 2000;
            m.apply(List.of(aspired("a", 1), aspired("b", 1), aspired("c", 1), aspired("big", 1)))
                    .get(30, TimeUnit.SECONDS);
            assertThat(failure(m.acquire("big", OptionalLong.empty())))
                    .isInstanceOf(ResourceExhaustedException.class)
                    .hasMessageContaining("larger than the whole budget");
            b.close();
        }
    }

    private static Throwable failure(CompletableFuture<?> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure, got " + f.join());
    }
}
