package dev.pier.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * Notices a dark-on-light image sent to a classifier: MNIST-style models learnt light digits on black, and a
 * black digit on white paper gets a confident wrong answer with no error. Only a hint, never a refusal. Stateless.
 */
final class ImagePolarity {
    /** Mean brightness above which most of the image is light background. */
    static final double LIGHT_BACKGROUND = 0.5;

    private ImagePolarity() {}

    /** A one-line hint when {@code image} is mostly light, else empty (also for files that are not images). */
    static Optional<String> hint(Path image) {
        BufferedImage img;
        try {
            img = ImageIO.read(image.toFile());
        } catch (IOException e) {
            return Optional.empty();
        }
        if (img == null) {
            return Optional.empty();
        }
        double sum = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                sum += (0.299 * (rgb >> 16 & 0xff) + 0.587 * (rgb >> 8 & 0xff) + 0.114 * (rgb & 0xff)) / 255.0;
            }
        }
        double mean = sum / ((double) img.getWidth() * img.getHeight());
        if (mean <= LIGHT_BACKGROUND) {
            return Optional.empty();
        }
        return Optional.of(String.format(
                java.util.Locale.ROOT,
                "pier: hint: %s is dark on a light background (mean "
                        + "brightness %.2f); MNIST-style models expect a light digit on black: add --invert if the answer looks wrong",
                image,
                mean));
    }
}
