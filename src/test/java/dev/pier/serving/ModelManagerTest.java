package dev.pier.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.pier.api.ModelNotFoundException;
import dev.pier.api.ModelState;
import dev.pier.api.ModelVersionStatus;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.UnavailableException;
import dev.pier.onnx.DenseLayer;
import dev.pier.repository.RepositorySource;
import dev.pier.runtime.onnx.OrtEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelManagerTest {
    private static OrtEngine engine;

    @TempDir
    Path root;

    private final List<ModelStateListener.Event> events = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void engine() {
        engine = new OrtEngine();
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    private ModelManager manager() {
        return new ModelManager(engine, 2, events::add);
    }

    private static void apply(ModelManager manager, Path root) throws Exception {
        manager.apply(new RepositorySource(root).scan()).get(30, TimeUnit.SECONDS);
    }

    private static float[] run(ModelHandle h, float[] x) {
        Tensor in = Tensor.ofFloats("input", Shape.of(x.length / TestRepository.IN, TestRepository.IN), x);
        return h.session()
                .submit(Map.of("input", in), List.of(), Long.MAX_VALUE)
                .join()
                .outputs()
                .getFirst()
                .floats();
    }

    private static void assertComputes(ModelHandle h, DenseLayer layer) {
        float[] x = {0.5f, -1f, 2f, 0.25f, 1f, 1f, -0.5f, 3f};
        float[] expected = TestRepository.expected(layer, x);
        float[] actual = run(h, x);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(1e-4f));
        }
    }

    @Test
    void loadsRealModelsAndServesTheLatestVersion() throws Exception {
        TestRepository repo = new TestRepository(root);
        repo.version("m", 1);
        DenseLayer v2 = repo.version("m", 2);
        try (ModelManager manager = manager()) {
            apply(manager, root);
            assertThat(manager.status("m")).containsExactly(new ModelVersionStatus("m", 2, ModelState.AVAILABLE, ""));
            try (ModelHandle h = manager.acquireNow("m", OptionalLong.empty())) {
                assertThat(h.version()).isEqualTo(2);
                assertComputes(h, v2);
            }
            assertThatThrownBy(() -> manager.acquireNow("m", OptionalLong.of(1)))
                    .isInstanceOf(ModelNotFoundException.class)
                    .hasMessageContaining("no version 1");
            assertThatThrownBy(() -> manager.acquireNow("nope", OptionalLong.empty()))
                    .isInstanceOf(ModelNotFoundException.class)
                    .hasMessageContaining("'nope' not found")
                    .hasMessageContaining("[m]");
        }
        assertThat(events)
                .extracting(e -> e.version() + ":" + e.from() + "->" + e.to())
                .containsExactly(
                        "2:START->LOADING", "2:LOADING->AVAILABLE", "2:AVAILABLE->UNLOADING", "2:UNLOADING->END");
    }

    @Test
    void allPolicyServesEachVersionWithItsOwnWeights() throws Exception {
        TestRepository repo = new TestRepository(root);
        repo.config("m", "version_policy: {all: {}}\n");
        DenseLayer v1 = repo.version("m", 1);
        DenseLayer v2 = repo.version("m", 2);
        DenseLayer v3 = repo.version("m", 3);
        try (ModelManager manager = manager()) {
            apply(manager, root);
            assertThat(manager.availableVersions("m")).containsExactly(1L, 2L, 3L);
            for (var entry : Map.of(1L, v1, 2L, v2, 3L, v3).entrySet()) {
                try (ModelHandle h = manager.acquireNow("m", OptionalLong.of(entry.getKey()))) {
                    assertThat(h.version()).isEqualTo(entry.getKey());
                    assertComputes(h, entry.getValue());
                }
            }
        }
    }

    @Test
    void aCorruptModelFailsWithAReasonWhileAnotherServes() throws Exception {
        TestRepository repo = new TestRepository(root);
        repo.corrupt("broken", 1);
        DenseLayer good = repo.version("good", 1);
        repo.version("mismatch", 1);
        repo.config("mismatch", "input: [{name: input, data_type: TYPE_INT64}]\n");
        try (ModelManager manager = manager()) {
            apply(manager, root);
            ModelVersionStatus broken = manager.status("broken").getFirst();
            assertThat(broken.state()).isEqualTo(ModelState.FAILED);
            assertThat(broken.error()).contains("model.onnx");
            ModelVersionStatus mismatch = manager.status("mismatch").getFirst();
            assertThat(mismatch.state()).isEqualTo(ModelState.FAILED);
            assertThat(mismatch.error())
                    .contains("input 'input' has data_type TYPE_INT64 but the model declares TYPE_FP32");
            assertThatThrownBy(() -> manager.acquireNow("broken", OptionalLong.empty()))
                    .isInstanceOf(UnavailableException.class)
                    .hasMessageContaining("version 1 FAILED");
            try (ModelHandle h = manager.acquireNow("good", OptionalLong.empty())) {
                assertComputes(h, good);
            }
        }
    }

    @Test
    void labelFilesAreCheckedAtLoad() throws Exception {
        TestRepository repo = new TestRepository(root);
        repo.version("missing", 1);
        repo.config("missing", "output: [{name: output, label_filename: labels.txt}]\n");
        repo.version("short", 1);
        repo.config("short", "output: [{name: output, label_filename: labels.txt}]\n");
        repo.file("short", "labels.txt", "cat\ndog\n");
        repo.version("ok", 1);
        repo.config("ok", "output: [{name: output, label_filename: labels.txt}]\n");
        repo.file("ok", "labels.txt", "cat\ndog\nbird\n\n");
        try (ModelManager manager = manager()) {
            apply(manager, root);
            assertThat(manager.status("missing").getFirst().error())
                    .contains("label_filename of output 'output'")
                    .contains("labels.txt");
            assertThat(manager.status("short").getFirst().error())
                    .contains("has 2 labels but output 'output' has 3 classes");
            try (ModelHandle h = manager.acquireNow("ok", OptionalLong.empty())) {
                assertThat(h.loaded().labels()).containsEntry("output", List.of("cat", "dog", "bird"));
            }
        }
    }

    @Test
    void aNewVersionReplacesTheOldOnlyOnceItServesAndAFailedOneLeavesTheOldServing() throws Exception {
        TestRepository repo = new TestRepository(root);
        DenseLayer v1 = repo.version("m", 1);
        try (ModelManager manager = manager()) {
            apply(manager, root);
            repo.corrupt("m", 2);
            apply(manager, root);
            assertThat(manager.status("m"))
                    .extracting(ModelVersionStatus::version, ModelVersionStatus::state)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(2L, ModelState.FAILED),
                            org.assertj.core.groups.Tuple.tuple(1L, ModelState.AVAILABLE));
            try (ModelHandle h = manager.acquireNow("m", OptionalLong.empty())) {
                assertThat(h.version()).isEqualTo(1);
                assertComputes(h, v1);
            }
            DenseLayer v3 = repo.version("m", 3);
            apply(manager, root);
            assertThat(manager.status("m")).containsExactly(new ModelVersionStatus("m", 3, ModelState.AVAILABLE, ""));
            try (ModelHandle h = manager.acquireNow("m", OptionalLong.empty())) {
                assertComputes(h, v3);
            }
        }
        int v3Available = indexOf("m", 3, ModelState.AVAILABLE);
        int v1Unloading = indexOf("m", 1, ModelState.UNLOADING);
        assertThat(v3Available).as("v3 serves before v1 starts unloading").isLessThan(v1Unloading);
    }

    @Test
    void anOpenHandlePinsItsVersionDuringUnload() throws Exception {
        TestRepository repo = new TestRepository(root);
        DenseLayer v1 = repo.version("m", 1);
        try (ModelManager manager = manager()) {
            apply(manager, root);
            ModelHandle pinned = manager.acquireNow("m", OptionalLong.empty());
            repo.version("m", 2);
            var settled = manager.apply(new RepositorySource(root).scan());
            // v2 becomes AVAILABLE and v1 starts unloading, but v1 cannot finish while the handle is open
            waitFor(() ->
                    manager.status("m").stream().anyMatch(s -> s.version() == 1 && s.state() == ModelState.UNLOADING));
            Thread.sleep(200);
            assertThat(settled).isNotDone();
            assertThat(manager.status("m"))
                    .extracting(ModelVersionStatus::state)
                    .contains(ModelState.UNLOADING);
            assertComputes(pinned, v1);
            assertThatThrownBy(() -> manager.acquireNow("m", OptionalLong.of(1)))
                    .isInstanceOf(UnavailableException.class)
                    .hasMessageContaining("UNLOADING");
            pinned.close();
            settled.get(30, TimeUnit.SECONDS);
            assertThat(manager.status("m")).containsExactly(new ModelVersionStatus("m", 2, ModelState.AVAILABLE, ""));
            assertThatThrownBy(() -> pinned.session()).hasMessageContaining("closed");
        }
    }

    private int indexOf(String model, long version, ModelState to) {
        synchronized (events) {
            for (int i = 0; i < events.size(); i++) {
                var e = events.get(i);
                if (e.model().equals(model) && e.version() == version && e.to() == to) {
                    return i;
                }
            }
        }
        throw new AssertionError("no event " + model + " v" + version + " -> " + to + " in " + events);
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(10);
        }
    }
}
