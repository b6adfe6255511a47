package dev.pier.train;

import dev.pier.api.Shape;
import java.util.Random;

/**
 * Random-translation augmentation (Hinton et al. 2015 train their MNIST teacher with images "jittered by up
 * to two pixels in any direction"): each image of a batch moves by a whole number of pixels drawn uniformly
 * from {@code [-max, max]} along each axis; pixels shifted in are zero (MNIST's background). Works on
 * {@code [C, H, W]} examples and on flat vectors whose length is a perfect square (a 784-vector is 28×28).
 * Immutable; {@link #apply} is thread-safe given distinct arrays and random sources.
 */
public record Jitter(int max, int channels, int height, int width) {

    public Jitter {
        if (max < 0) {
            throw new IllegalArgumentException("jitter must be >= 0 pixels, got " + max);
        }
    }

    /** The jitter for examples of {@code shape}, or an error naming the shape when it is not an image. */
    public static Jitter forShape(int max, Shape shape) {
        long[] d = shape.toArray();
        if (d.length == 3) {
            return new Jitter(max, (int) d[0], (int) d[1], (int) d[2]);
        }
        if (d.length == 1) {
            int side = (int) Math.round(Math.sqrt(d[0]));
            if ((long) side * side == d[0]) {
                return new Jitter(max, 1, side, side);
            }
        }
        throw new IllegalArgumentException(
                "jitter needs image examples ([channels, height, width] or a flat square image"
                        + " such as 784 = 28x28), but the examples have shape " + shape);
    }

    /** Shifts each of the {@code n} examples in {@code batch} in place by its own random offset. */
    public void apply(float[] batch, int n, Random random) {
        if (max == 0) {
            return;
        }
        int plane = height * width;
        int size = channels * plane;
        float[] copy = new float[size];
        for (int i = 0; i < n; i++) {
            int dy = random.nextInt(2 * max + 1) - max;
            int dx = random.nextInt(2 * max + 1) - max;
            if (dx == 0 && dy == 0) {
                continue;
            }
            int base = i * size;
            System.arraycopy(batch, base, copy, 0, size);
            java.util.Arrays.fill(batch, base, base + size, 0f);
            for (int c = 0; c < channels; c++) {
                for (int y = Math.max(0, dy); y < Math.min(height, height + dy); y++) {
                    int src = c * plane + (y - dy) * width;
                    int dst = base + c * plane + y * width;
                    int x0 = Math.max(0, dx);
                    int x1 = Math.min(width, width + dx);
                    System.arraycopy(copy, src + x0 - dx, batch, dst + x0, x1 - x0);
                }
            }
        }
    }
}
