package dev.pier.evaluate.report;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * Encodes grayscale images as PNG data URIs ({@code data:image/png;base64,...}) so the HTML report carries
 * its pictures inside itself. Thread-safe.
 */
final class PngImages {

    private PngImages() {
    }

    /** {@code pixels} row-major, values in [0, 1] (clamped), {@code height × width}. */
    static byte[] grayscalePng(float[] pixels, int height, int width) {
        if (pixels.length != height * width) {
            throw new IllegalArgumentException(pixels.length + " pixels do not make a " + height + "x" + width + " image");
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        int[] gray = new int[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            gray[i] = (int) Math.round(Math.max(0, Math.min(1, pixels[i])) * 255);
        }
        raster.setPixels(0, 0, width, height, gray);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer available in javax.imageio");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a PNG in memory", e);
        }
        return out.toByteArray();
    }

    static String dataUri(float[] pixels, int height, int width) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(grayscalePng(pixels, height, width));
    }
}
