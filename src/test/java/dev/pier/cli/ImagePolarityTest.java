package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.examples.ExampleModels;
import dev.pier.server.RunningServer;
import dev.pier.server.ServerOptions;
import dev.pier.serving.ServingOptions;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 19 item 10: predicting a black-on-white digit hints at MNIST's white-on-black convention. */
class ImagePolarityTest {

    @TempDir
    Path dir;

    private Path digit(String name, Color background, Color ink) throws Exception {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(background);
        g.fillRect(0, 0, 28, 28);
        g.setColor(ink);
        g.fillRect(12, 4, 4, 20); // a "1"
        g.dispose();
        Path file = dir.resolve(name);
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    @Test
    void aDarkOnLightDigitGetsAHintAndALightOnDarkOneDoesNot() throws Exception {
        Path paper = digit("paper.png", Color.WHITE, Color.BLACK);
        Path mnist = digit("mnist.png", Color.BLACK, Color.WHITE);
        ExampleModels.writeMnistRepository(dir.resolve("repo"), 7);
        try (RunningServer server = RunningServer.start(
                ServingOptions.of(dir.resolve("repo"), null),
                new ServerOptions("127.0.0.1", 0, 0, ServerOptions.DEFAULT_MAX_BODY_BYTES, 1))) {
            String url = "http://127.0.0.1:" + server.httpPort();
            CliRun dark = CliRun.of("predict", "--url", url, "--model", "mnist", "--image", paper.toString());
            assertThat(dark.exit()).as(dark.err()).isZero();
            assertThat(dark.err())
                    .contains("hint: " + paper + " is dark on a light background")
                    .contains("invert");
            CliRun light = CliRun.of("predict", "--url", url, "--model", "mnist", "--image", mnist.toString());
            assertThat(light.exit()).as(light.err()).isZero();
            assertThat(light.err()).doesNotContain("hint");
        }
    }
}
