package dev.pier.evaluate.report;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * Encodes grayscale and colour images as PNG data URIs ({@code data:image/png;base64,...}) so the HTML report carries
 * its pictures inside itself. Thread-safe.
 */
final class PngImages {

    private PngImages() {}

    /**
     * {@code pixels} channels first, then rows ({@code channels × height × width}), values in [0, 1] (clamped);
     * one channel is grayscale, three or four RGB (alpha is dropped: the report shows what the model saw).
     */
    static byte[] png(float[] pixels, int channels, int height, int width) {
        if (pixels.length != channels * height * width) {
            throw new IllegalArgumentException(
                    pixels.length + " values do not make a " + channels + "x" + height + "x" + width + " image");
        }
        int bands = channels == 1 ? 1 : 3;
        BufferedImage image = new BufferedImage(
                width, height, bands == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster raster = image.getRaster();
        int plane = height * width;
        for (int b = 0; b < bands; b++) {
            int[] samples = new int[plane];
            for (int i = 0; i < plane; i++) {
                samples[i] = (int) Math.round(Math.max(0, Math.min(1, pixels[b * plane + i])) * 255);
            }
            raster.setSamples(0, 0, width, height, b, samples);
        }
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

    static String dataUri(float[] pixels, int channels, int height, int width) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png(pixels, channels, height, width));
    }
}
