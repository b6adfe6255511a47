package dev.pier.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorData;
import dev.pier.api.TensorSpec;
import dev.pier.api.step.StepContext;
import dev.pier.api.step.StepProviders;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in steps on real encoded images and files, and their registration through the SPI. */
class StepsTest {
    @TempDir
    Path dir;

    static StepContext context(
            Map<String, String> parameters, List<TensorSpec> outputs, Map<String, List<String>> labels, Path dir) {
        return new StepContext("m", 1, dir, 0, List.of(), outputs, parameters, labels);
    }

    /** A 2×1 RGB image: left pixel (255, 0, 51), right pixel (0, 102, 255). */
    static byte[] twoPixels(String format) throws Exception {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, (255 << 16) | 51);
        img.setRGB(1, 0, (102 << 8) | 255);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }

    static Tensor images(byte[]... elements) {
        return new Tensor(
                "image", DataType.BYTES, Shape.of(elements.length), new TensorData.Strings(List.of(elements)));
    }

    @Test
    void builtInStepsAreFoundThroughTheServiceLoader() {
        assertThat(StepProviders.platforms()).contains("pier_image", "pier_labels", "pier_normalize");
    }

    @Test
    void pngBecomesNchwOrNhwcWithScaleMeanAndStd() throws Exception {
        byte[] png = twoPixels("png");
        ImageStep nchw = new ImageStep(context(Map.of("width", "2", "height", "1"), List.of(), Map.of(), dir));
        Tensor t =
                nchw.run(Map.of("image", images(png, png)), List.of("tensor")).getFirst();
        assertThat(t.shape()).isEqualTo(Shape.of(2, 3, 1, 2));
        assertThat(t.floats()).startsWith(1f, 0f, 0f, 102 / 255f, 51 / 255f, 1f); // R plane, G plane, B plane

        ImageStep nhwc = new ImageStep(context(
                Map.of("width", "2", "height", "1", "layout", "NHWC", "scale", "1", "mean", "100", "std", "2"),
                List.of(),
                Map.of(),
                dir));
        Tensor h = nhwc.run(Map.of("image", images(png)), List.of("tensor")).getFirst();
        assertThat(h.shape()).isEqualTo(Shape.of(1, 1, 2, 3));
        assertThat(h.floats()).containsExactly((255 - 100) / 2f, -50f, (51 - 100) / 2f, -50f, 1f, (255 - 100) / 2f);
    }

    @Test
    void greyInvertedAndResizedToADeclaredFlatOutput() throws Exception {
        BufferedImage white = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        white.getRaster()
                .setPixels(
                        0,
                        0,
                        8,
                        8,
                        java.util.stream.IntStream.generate(() -> 255).limit(64).toArray());
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(white, "jpeg", jpeg);
        ImageStep step = new ImageStep(context(
                Map.of("width", "4", "height", "4", "channels", "1", "invert", "true"),
                List.of(new TensorSpec("flat", DataType.FP32, Shape.of(-1, 16))),
                Map.of(),
                dir));
        Tensor t = step.run(Map.of("image", images(jpeg.toByteArray())), List.of("flat"))
                .getFirst();
        assertThat(t.shape()).isEqualTo(Shape.of(1, 16));
        for (float v : t.floats()) {
            assertThat(v).isCloseTo(0f, within(0.02f)); // white inverted is black (JPEG may be off by a level)
        }
        assertThatThrownBy(() -> new ImageStep(context(
                        Map.of("width", "4", "height", "4", "channels", "1"),
                        List.of(new TensorSpec("flat", DataType.FP32, Shape.of(-1, 15))),
                        Map.of(),
                        dir)))
                .hasMessageContaining("gives 16 values");
        assertThatThrownBy(() ->
                        step.run(Map.of("image", images(jpeg.toByteArray(), "nope".getBytes())), List.of("flat")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("element 1");
        assertThatThrownBy(() -> new ImageStep(context(Map.of("width", "4"), List.of(), Map.of(), dir)))
                .hasMessageContaining("'width' and 'height'");
    }

    @Test
    void labelsGiveTopClassesAndScores() {
        LabelsStep step = new LabelsStep(
                context(Map.of("top_k", "2"), List.of(), Map.of("classes", List.of("a", "b", "c")), dir));
        List<Tensor> out = step.run(
                Map.of("scores_in", Tensor.ofFloats("scores_in", Shape.of(2, 3), 0.1f, 0.7f, 0.2f, 0.5f, 0.2f, 0.3f)),
                List.of("classes", "scores"));
        assertThat(out.get(0).strings()).containsExactly("b", "c", "a", "c");
        assertThat(out.get(0).shape()).isEqualTo(Shape.of(2, 2));
        assertThat(out.get(1).floats()).containsExactly(0.7f, 0.2f, 0.5f, 0.3f);
    }

    @Test
    void normalizeReadsMeanStdOrMinMax() throws Exception {
        Files.writeString(dir.resolve("stats.json"), "{\"mean\": [1, 10], \"std\": [2, 5]}");
        NormalizeStep z = new NormalizeStep(context(Map.of("file", "stats.json"), List.of(), Map.of(), dir));
        assertThat(z.run(Map.of("input", Tensor.ofFloats("input", Shape.of(1, 2), 3, 0)), List.of("output"))
                        .getFirst()
                        .floats())
                .containsExactly(1f, -2f);
        Files.writeString(dir.resolve("range.json"), "{\"min\": [0, -1], \"max\": [4, 1]}");
        NormalizeStep mm = new NormalizeStep(context(Map.of("file", "range.json"), List.of(), Map.of(), dir));
        assertThat(mm.run(Map.of("input", Tensor.ofFloats("input", Shape.of(1, 2), 1, 0)), List.of("output"))
                        .getFirst()
                        .floats())
                .containsExactly(0.25f, 0.5f);
        Files.writeString(dir.resolve("bad.json"), "{\"min\": [0, 1], \"max\": [4, 1]}");
        assertThatThrownBy(() -> new NormalizeStep(context(Map.of("file", "bad.json"), List.of(), Map.of(), dir)))
                .hasMessageContaining("feature 1 has a zero");
        assertThatThrownBy(() -> new NormalizeStep(context(Map.of("file", "../x.json"), List.of(), Map.of(), dir)))
                .hasMessageContaining("inside the model folder");
    }
}
