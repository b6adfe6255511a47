package dev.pier.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Writes MNIST examples as the 28×28 8-bit grey PNG files a client would send (white digit on black, as in the
 * IDX files), with the JDK's ImageIO. The pixels are the IDX bytes unchanged, so decoding the PNG and dividing by
 * 255 gives exactly the features {@link Mnist} loads. Stateless.
 */
public final class MnistPng {
    private MnistPng() {}

    /** Example {@code index} of {@code data} (features scaled to 0..1, 784 per example) as PNG bytes. */
    public static byte[] encode(LabeledData data, int index) {
        int side = 28;
        int size = side * side;
        float[] features = data.features();
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        int[] pixels = new int[size];
        for (int i = 0; i < size; i++) {
            pixels[i] = Math.round(features[index * size + i] * 255f);
        }
        image.getRaster().setPixels(0, 0, side, side, pixels);
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode MNIST example " + index + " as PNG", e);
        }
        return out.toByteArray();
    }
}
