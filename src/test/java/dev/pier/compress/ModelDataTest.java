package dev.pier.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.DataType;
import dev.pier.api.Shape;
import dev.pier.data.LabeledData;
import dev.pier.onnx.OnnxModel;
import dev.pier.onnx.OnnxModelReader;
import dev.pier.onnx.SequentialGraph;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code random:N[:SEED]}: seeded uniform examples in the model's declared input shape. */
class ModelDataTest {
    @TempDir
    Path dir;

    @Test
    void randomDataTakesTheModelsInputShapeAndIsSeeded() throws Exception {
        Path file = SequentialGraph.start("c", "input", DataType.FP32, "batch", 3, 8, 8)
                .conv(new float[4 * 3 * 9], new long[] {4, 3, 3, 3}, null, 1, 1)
                .flatten()
                .finish("output", "batch", 256)
                .save(dir.resolve("c.onnx"));
        OnnxModel model = OnnxModelReader.read(file);
        LabeledData a = ModelData.load("random:5", model, dir);
        assertThat(a.exampleShape()).isEqualTo(Shape.of(3, 8, 8));
        assertThat(a.count()).isEqualTo(5);
        assertThat(a.features()).hasSize(5 * 3 * 8 * 8);
        for (float v : a.features()) {
            assertThat(v).isBetween(0f, 1f);
        }
        assertThat(ModelData.load("random:5", model, dir).features()).isEqualTo(a.features());
        assertThat(ModelData.load("random:5:7", model, dir).features()).isNotEqualTo(a.features());
        assertThatThrownBy(() -> ModelData.load("random:five", model, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("random:N");
    }
}
