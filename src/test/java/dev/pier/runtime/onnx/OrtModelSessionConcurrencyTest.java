package dev.pier.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.DataType;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorData;
import dev.pier.api.UnavailableException;
import dev.pier.onnx.OnnxModelBuilder;
import dev.pier.runtime.ModelSession;
import dev.pier.runtime.SessionOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrtModelSessionConcurrencyTest {

    @TempDir
    Path dir;

    private Path scaleModel() {
        return OnnxModelBuilder.create("scale")
                .input("x", DataType.FP32, "n")
                .initializer("k", new long[] {}, 3f)
                .node("Mul", List.of("x", "k"), List.of("y"))
                .output("y", DataType.FP32, "n")
                .save(dir.resolve("scale.onnx"));
    }

    @Test
    void concurrentRunsEachGetTheirOwnAnswer() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (OrtEngine engine = new OrtEngine();
                ModelSession s = engine.load(scaleModel(), SessionOptions.defaults())) {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                float v = i;
                futures.add(pool.submit(() -> s.run(Map.of("x", Tensor.ofFloats("x", Shape.of(2), v, -v)), List.of())
                        .get(0)
                        .floats()));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get()).containsExactly(3f * i, -3f * i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void directBuffersAreAcceptedAsIs() {
        ByteBuffer direct = ByteBuffer.allocateDirect(12).order(ByteOrder.LITTLE_ENDIAN);
        direct.putFloat(1f).putFloat(2f).putFloat(-4f).flip();
        Tensor x = new Tensor("x", DataType.FP32, Shape.of(3), new TensorData.Packed(direct));
        try (OrtEngine engine = new OrtEngine();
                ModelSession s = engine.load(scaleModel(), SessionOptions.defaults())) {
            assertThat(s.run(Map.of("x", x), List.of()).get(0).floats()).containsExactly(3f, 6f, -12f);
        }
    }

    @Test
    void emptyBatchRunsAndReturnsAnEmptyTensor() {
        try (OrtEngine engine = new OrtEngine();
                ModelSession s = engine.load(scaleModel(), SessionOptions.defaults())) {
            Tensor out = s.run(Map.of("x", Tensor.ofFloats("x", Shape.of(0))), List.of())
                    .get(0);
            assertThat(out.shape()).isEqualTo(Shape.of(0));
            assertThat(out.floats()).isEmpty();
        }
    }

    @Test
    void closeIsIdempotentAndLaterRunsAreUnavailable() {
        OrtEngine engine = new OrtEngine();
        ModelSession s = engine.load(scaleModel(), new SessionOptions(0, 0, SessionOptions.Optimization.NONE));
        s.close();
        s.close();
        assertThatThrownBy(() -> s.run(Map.of("x", Tensor.ofFloats("x", Shape.of(1), 1f)), List.of()))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining("scale.onnx");
    }
}
