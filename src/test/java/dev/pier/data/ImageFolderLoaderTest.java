package dev.pier.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderLoaderTest {

    private static void png(Path file, int w, int h, int rgb) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    @Test
    void classesAreSortedFoldersAndPixelsAreChannelsFirst(@TempDir Path root) throws Exception {
        png(root.resolve("zebra/a.png"), 4, 4, 0xFF0000);
        png(root.resolve("ant/a.png"), 4, 4, 0x0000FF);
        png(root.resolve("ant/b.png"), 4, 4, 0x00FF00);
        assertThat(ImageFolderLoader.classNames(root)).containsExactly("ant", "zebra");

        LabeledData rgb = ImageFolderLoader.load(root, new ImageFolderLoader.Options(2, 2, true));
        assertThat(rgb.exampleShape()).isEqualTo(Shape.of(3, 2, 2));
        assertThat(rgb.labels()).containsExactly(0, 0, 1);
        // ant/a.png is pure blue: the red and green planes are 0, the blue plane 1.
        float[] f = rgb.features();
        assertThat(f[0]).isEqualTo(0f);
        assertThat(f[4]).isEqualTo(0f);
        assertThat(f[8]).isEqualTo(1f);
        // zebra/a.png is pure red.
        assertThat(f[2 * 12]).isEqualTo(1f);
        assertThat(f[2 * 12 + 8]).isEqualTo(0f);

        LabeledData gray = ImageFolderLoader.load(root, ImageFolderLoader.Options.grayscale());
        assertThat(gray.exampleShape()).isEqualTo(Shape.of(1, 4, 4));
        // Pure green is brighter than pure blue in any luminance conversion.
        assertThat(gray.features()[16]).isGreaterThan(gray.features()[0]);
        assertThat(gray.features()[16]).isCloseTo(0.59f, within(0.15f));
    }

    @Test
    void mixedSizesWithoutResizeAreRejected(@TempDir Path root) throws Exception {
        png(root.resolve("a/1.png"), 4, 4, 0);
        png(root.resolve("b/1.png"), 5, 4, 0);
        assertThatThrownBy(() -> ImageFolderLoader.load(root, ImageFolderLoader.Options.grayscale()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("b/1.png")
                .hasMessageContaining("5x4");
        assertThat(ImageFolderLoader.load(root, new ImageFolderLoader.Options(3, 3, false))
                        .exampleShape())
                .isEqualTo(Shape.of(1, 3, 3));
    }
}
