package dev.pier.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.DataType;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorData;
import dev.pier.onnx.OnnxModelBuilder;
import dev.pier.runtime.ModelSession;
import dev.pier.runtime.SessionOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heap inputs are staged in per-thread native memory that is reused run after run; these runs check that two
 * inputs never overlap in it, that a run never sees the previous run's bytes, and that growth, direct inputs
 * and virtual threads (which keep no region) all give the exact answer.
 */
class OrtNativeStagingTest {
    static OrtEngine engine;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        engine = new OrtEngine();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private ModelSession subtract() {
        Path file = OnnxModelBuilder.create("sub")
                .input("a", DataType.FP32, "n", 3)
                .input("b", DataType.FP32, "n", 3)
                .node("Sub", List.of("a", "b"), List.of("y"))
                .output("y", DataType.FP32, "n", 3)
                .save(dir.resolve("sub.onnx"));
        return engine.load(file, SessionOptions.defaults());
    }

    @Test
    void reusedStagingGivesEveryRunItsOwnInputs() {
        SplittableRandom random = new SplittableRandom(3);
        try (ModelSession s = subtract()) {
            // sizes go up (the region grows past its first 4 KiB) and down (a larger region holds a smaller run)
            for (int rows : new int[] {1, 2, 700, 3, 2000, 1, 350}) {
                float[] a = random(random, rows * 3);
                float[] b = random(random, rows * 3);
                float[] y = run(s, heap("a", rows, a), heap("b", rows, b));
                for (int i = 0; i < y.length; i++) {
                    assertThat(y[i]).as("rows %d element %d", rows, i).isEqualTo(a[i] - b[i]);
                }
            }
        }
    }

    @Test
    void directAndHeapInputsMixAndVirtualThreadsWork() throws Exception {
        try (ModelSession s = subtract()) {
            float[] a = {1, 2, 3, 4, 5, 6};
            float[] b = {0.5f, 0.25f, 0.125f, 1, 2, 3};
            ByteBuffer direct = ByteBuffer.allocateDirect(24).order(ByteOrder.LITTLE_ENDIAN);
            direct.asFloatBuffer().put(a);
            Tensor directA = new Tensor("a", DataType.FP32, Shape.of(2, 3), new TensorData.Packed(direct));
            assertThat(run(s, directA, heap("b", 2, b))).containsExactly(0.5f, 1.75f, 2.875f, 3, 3, 3);

            AtomicReference<float[]> fromVirtual = new AtomicReference<>();
            Thread t = Thread.ofVirtual().start(() -> fromVirtual.set(run(s, heap("a", 2, a), heap("b", 2, b))));
            t.join();
            assertThat(fromVirtual.get()).containsExactly(0.5f, 1.75f, 2.875f, 3, 3, 3);
        }
    }

    private static float[] run(ModelSession s, Tensor a, Tensor b) {
        return s.run(Map.of("a", a, "b", b), List.of()).get(0).floats();
    }

    private static Tensor heap(String name, int rows, float[] values) {
        return Tensor.ofFloats(name, Shape.of(rows, 3), values);
    }

    private static float[] random(SplittableRandom random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextDouble(-100, 100);
        }
        return out;
    }
}
