package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.Shape;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.examples.ExampleModels;
import dev.pier.server.RunningServer;
import dev.pier.server.ServerOptions;
import dev.pier.serving.ServingOptions;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 10: a real MNIST digit printed black on white (inverted) and sent with {@code pier predict
 * --invert} gets exactly the answer of the original white-on-black digit; without {@code --invert} the answer
 * differs and a one-line hint names {@code --invert}.
 */
class PredictInvertTest {

    private static final java.util.regex.Pattern SERVER_LOG_LINE =
            java.util.regex.Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (TRACE|DEBUG|INFO|WARN|ERROR) ");

    @TempDir
    Path dir;

    @Test
    void anInvertedMnistDigitWithInvertAnswersAsTheOriginal() throws Exception {
        LabeledData digit = Mnist.load(Mnist.Split.TEST, 1, MnistFetcher.defaultDir(), Shape.of(784));
        Path original = png("original.png", digit.features(), false);
        Path paper = png("paper.png", digit.features(), true);
        ExampleModels.writeMnistRepository(dir.resolve("repo"), 7);
        try (RunningServer server = RunningServer.start(
                ServingOptions.of(dir.resolve("repo"), null),
                new ServerOptions("127.0.0.1", 0, 0, ServerOptions.DEFAULT_MAX_BODY_BYTES, 1))) {
            String url = "http://127.0.0.1:" + server.httpPort();
            CliRun asIs = CliRun.of("predict", "--url", url, "--model", "mnist", "--image", original.toString());
            CliRun inverted =
                    CliRun.of("predict", "--url", url, "--model", "mnist", "--image", paper.toString(), "--invert");
            CliRun forgotten = CliRun.of("predict", "--url", url, "--model", "mnist", "--image", paper.toString());
            assertThat(asIs.exit()).as(asIs.err()).isZero();
            assertThat(inverted.exit()).as(inverted.err()).isZero();
            assertThat(forgotten.exit()).as(forgotten.err()).isZero();

            assertThat(withoutId(inverted.out())).isEqualTo(withoutId(asIs.out()));
            assertThat(inverted.err()).doesNotContain("hint");
            assertThat(withoutId(forgotten.out())).isNotEqualTo(withoutId(asIs.out()));
            // the server runs in this JVM, so its log lines (timestamped; the drift monitor's come from its own
            // thread whenever it drains) can land in the captured stderr: the CLI's own output is the rest
            assertThat(forgotten
                            .err()
                            .strip()
                            .lines()
                            .filter(line -> !SERVER_LOG_LINE.matcher(line).find()))
                    .singleElement()
                    .asString()
                    .contains("hint: " + paper + " is dark on a light background")
                    .contains("--invert");
        }
    }

    @Test
    void invertWithoutImagesIsOneLineAndExit2() {
        CliRun run = CliRun.of(
                "predict", "--model", "mnist", "--input", dir.resolve("x.json").toString(), "--invert");
        assertThat(run.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(run.err().strip()).isEqualTo("pier: --invert applies to --image inputs only");
    }

    /** The answer without its request id, which differs per request. */
    private static String withoutId(String answer) {
        return answer.replaceAll("\"id\" : \"[^\"]*\"", "");
    }

    /** The 28x28 digit as an 8-bit gray PNG, black on white when {@code inverted}. */
    private Path png(String name, float[] pixels, boolean inverted) throws Exception {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 784; i++) {
            int v = Math.round(pixels[i] * 255);
            img.getRaster().setSample(i % 28, i / 28, 0, inverted ? 255 - v : v);
        }
        Path file = dir.resolve(name);
        ImageIO.write(img, "png", file.toFile());
        return file;
    }
}
