package dev.pier.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.pier.api.DataType;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image → tensor layouts chosen from the declared input shape, on real PNG files. */
class ImageInputsTest {
    @TempDir
    Path dir;

    /** A 3x2 RGB image whose pixel (x, y) has channels (10x+y, 100+y, 200+x). */
    Path image() throws Exception {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                img.setRGB(x, y, ((10 * x + y) << 16) | ((100 + y) << 8) | (200 + x));
            }
        }
        Path f = dir.resolve("rgb.png");
        ImageIO.write(img, "png", f.toFile());
        return f;
    }

    static float channel(int x, int y, int c) {
        return (c == 0 ? 10 * x + y : c == 1 ? 100 + y : 200 + x) / 255f;
    }

    @Test
    void channelsFirstAndLast() throws Exception {
        Path f = image();
        Tensor nchw = ImageInputs.read(List.of(f, f), new TensorSpec("x", DataType.FP32, Shape.of(-1, 3, 2, 3)));
        assertThat(nchw.shape()).isEqualTo(Shape.of(2, 3, 2, 3));
        Tensor nhwc = ImageInputs.read(List.of(f), new TensorSpec("x", DataType.FP32, Shape.of(-1, -1, -1, 3)));
        assertThat(nhwc.shape()).isEqualTo(Shape.of(1, 2, 3, 3));
        float[] a = nchw.floats();
        float[] b = nhwc.floats();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 3; x++) {
                    assertThat(a[(c * 2 + y) * 3 + x]).isCloseTo(channel(x, y, c), within(1e-6f));
                    assertThat(a[18 + (c * 2 + y) * 3 + x]).isCloseTo(channel(x, y, c), within(1e-6f));
                    assertThat(b[(y * 3 + x) * 3 + c]).isCloseTo(channel(x, y, c), within(1e-6f));
                }
            }
        }
    }

    @Test
    void refusesShapesThatAreNotImages() throws Exception {
        Path f = image();
        assertThatThrownBy(() -> ImageInputs.read(List.of(f), new TensorSpec("x", DataType.FP32, Shape.of(-1, 10))))
                .hasMessageContaining("square")
                .hasMessageContaining("10");
        assertThatThrownBy(() -> ImageInputs.read(List.of(f), new TensorSpec("x", DataType.INT64, Shape.of(-1, 4))))
                .hasMessageContaining("INT64");
        assertThatThrownBy(() -> ImageInputs.read(
                        List.of(dir.resolve("none.png")), new TensorSpec("x", DataType.FP32, Shape.of(-1, 4))))
                .hasMessageContaining("does not exist");
    }
}
