package dev.pier.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelSignature;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import dev.pier.data.LabeledData;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputBindingTest {

    private static final ImageGeometry MNIST = ImageGeometry.of(Shape.of(784), "mnist:test");

    private static ModelSignature model(DataType type, long... dims) {
        return new ModelSignature(
                List.of(new TensorSpec("x", type, Shape.of(dims))),
                List.of(new TensorSpec("y", DataType.FP32, Shape.of(-1, 10))));
    }

    private static InputBinding auto(long... dims) {
        return InputBinding.resolve(model(DataType.FP32, dims), MNIST, InputLayout.AUTO, "mnist:test");
    }

    @Test
    void detectsLayoutFromDeclaredShape() {
        assertThat(auto(-1, 784).layout()).isEqualTo(InputLayout.FLAT);
        assertThat(auto(-1, -1).layout()).isEqualTo(InputLayout.FLAT);
        assertThat(auto(-1, 1, 28, 28).layout()).isEqualTo(InputLayout.NCHW);
        assertThat(auto(-1, 28, 28, 1).layout()).isEqualTo(InputLayout.NHWC);
        assertThat(auto(-1, 1, -1, -1).layout()).isEqualTo(InputLayout.NCHW);
        assertThat(auto(-1, 28, 28, 1).exampleDims()).containsExactly(28, 28, 1);
        assertThat(auto(-1, 784).fixedBatch()).isZero();
        assertThat(auto(32, 784).fixedBatch()).isEqualTo(32);
        assertThat(auto(32, 784).batchSize(256)).isEqualTo(32);
    }

    @Test
    void mismatchedModelNamesExpectedAndGot() {
        assertThatThrownBy(() -> auto(-1, 3, 32, 32))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'x' expects FP32 [-1, 3, 32, 32]")
                .hasMessageContaining("28x28 single-channel images")
                .hasMessageContaining("[N, 784] or [N, 1, 28, 28] or [N, 28, 28, 1]");
        assertThatThrownBy(
                        () -> InputBinding.resolve(model(DataType.FP32, -1, 1, 28, 28), MNIST, InputLayout.NHWC, "m"))
                .hasMessageContaining("[N, 28, 28, 1]")
                .hasMessageContaining("--input-layout nhwc");
        assertThatThrownBy(() -> auto(-1, 784, 1)).hasMessageContaining("[-1, 784, 1]");
        assertThatThrownBy(() -> InputBinding.resolve(model(DataType.INT64, -1, 784), MNIST, InputLayout.AUTO, "m"))
                .hasMessageContaining("INT64");
    }

    @Test
    void nonSquareFlatDataFitsOnlyFlatModels() {
        ImageGeometry flat = ImageGeometry.of(Shape.of(10), "iris");
        assertThat(flat.isImage()).isFalse();
        assertThatThrownBy(
                        () -> InputBinding.resolve(model(DataType.FP32, -1, 1, 28, 28), flat, InputLayout.AUTO, "iris"))
                .hasMessageContaining("10-value examples")
                .hasMessageContaining("[N, 10]");
    }

    @Test
    void buildsScaledAndPaddedBatches() {
        float[] features = new float[3 * 4];
        for (int i = 0; i < features.length; i++) {
            features[i] = i;
        }
        LabeledData data = new LabeledData("tiny", features, Shape.of(2, 2), new int[] {0, 1, 0}, 2);
        ImageGeometry g = ImageGeometry.of(data.exampleShape(), data.name());
        InputBinding nchw = InputBinding.resolve(model(DataType.FP32, -1, 1, 2, 2), g, InputLayout.AUTO, "tiny");
        Tensor t = nchw.tensor(data, 1, 2, 0.5f);
        assertThat(t.shape()).isEqualTo(Shape.of(2, 1, 2, 2));
        assertThat(t.floats()).containsExactly(2f, 2.5f, 3f, 3.5f, 4f, 4.5f, 5f, 5.5f);

        InputBinding fixed = InputBinding.resolve(model(DataType.FP64, 4, 4), g, InputLayout.AUTO, "tiny");
        Tensor padded = fixed.tensor(data, 2, 1, 1f);
        assertThat(padded.shape()).isEqualTo(Shape.of(4, 4));
        double[] v = padded.doubles();
        assertThat(v).hasSize(16);
        assertThat(v[0]).isEqualTo(8.0);
        assertThat(v[3]).isEqualTo(11.0);
        assertThat(v[4]).isZero();
    }

    @Test
    void colourImagesAreReorderedForTheModelsLayout() {
        // two 2x2 RGB images stored channels first: value = 100*example + 10*channel + pixel
        float[] chw = new float[2 * 12];
        for (int e = 0; e < 2; e++) {
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 4; p++) {
                    chw[e * 12 + c * 4 + p] = 100 * e + 10 * c + p;
                }
            }
        }
        LabeledData data = new LabeledData("rgb", chw, Shape.of(3, 2, 2), new int[] {0, 1}, 2);
        ImageGeometry g = ImageGeometry.of(data.exampleShape(), "rgb");
        assertThat(g.toString()).isEqualTo("2x2 3-channel images");
        InputBinding nhwc = InputBinding.resolve(model(DataType.FP32, -1, 2, 2, 3), g, InputLayout.AUTO, "rgb");
        assertThat(nhwc.layout()).isEqualTo(InputLayout.NHWC);
        float[] v = nhwc.tensor(data, 0, 2, 1f).floats();
        // NHWC of example 1, pixel 2: channels 0, 1, 2 → 102, 112, 122
        assertThat(v[12 + 2 * 3]).isEqualTo(102f);
        assertThat(v[12 + 2 * 3 + 1]).isEqualTo(112f);
        assertThat(v[12 + 2 * 3 + 2]).isEqualTo(122f);
        InputBinding nchw = InputBinding.resolve(model(DataType.FP32, -1, 3, 2, 2), g, InputLayout.AUTO, "rgb");
        assertThat(nchw.gather()).isNull();
        assertThat(nchw.tensor(data, 0, 2, 1f).floats()).containsExactly(chw);

        assertThat(ImageGeometry.of(Shape.of(32, 32, 3), "x").channelsLast()).isTrue();
        assertThatThrownBy(() -> InputBinding.resolve(model(DataType.FP32, -1, 1, 28, 28), g, InputLayout.AUTO, "rgb"))
                .hasMessageContaining("2x2 3-channel images")
                .hasMessageContaining("[N, 3, 2, 2]");
    }

    @Test
    void onlyImageDataIsRescaledToTheUnitInterval() {
        LabeledData raw = new LabeledData("raw", new float[] {0, 255, 128, 3}, Shape.of(1, 2, 2), new int[] {0}, 1);
        assertThat(PixelScale.of(raw, ImageGeometry.of(raw.exampleShape(), "raw")))
                .isEqualTo(1f / 255f);
        LabeledData table = new LabeledData("csv", new float[] {-4, 900, 2}, Shape.of(3), new int[] {0}, 1);
        assertThat(PixelScale.of(table, ImageGeometry.of(table.exampleShape(), "csv")))
                .isEqualTo(1f);
        LabeledData normalised =
                new LabeledData("z", new float[] {-0.4f, 2.8f, 0, 1}, Shape.of(2, 2), new int[] {0}, 1);
        assertThatThrownBy(() -> PixelScale.of(normalised, ImageGeometry.of(normalised.exampleShape(), "z")))
                .hasMessageContaining("[-0.4, 2.8]")
                .hasMessageContaining("[0, 1] or raw [0, 255]");
    }
}
