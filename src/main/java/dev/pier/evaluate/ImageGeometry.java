package dev.pier.evaluate;

import dev.pier.api.Shape;

/**
 * What one dataset example is, read from its example shape: a flat vector {@code [F]} (taken as a square
 * single-channel image too when F is a square of side 8 or more, as MNIST's {@code [784]}), a single-channel
 * image {@code [H, W]}, or an image with channels first {@code [C, H, W]} or last {@code [H, W, C]}
 * (C of 1, 3 or 4). Knows how to reorder one example into a model layout. Immutable and thread-safe.
 *
 * @param channels      colour channels (1 for grayscale and for flat vectors)
 * @param height        rows of pixels, or 0 for a vector that is not an image (only a flat model fits)
 * @param width         columns of pixels, or 0 likewise
 * @param values        values per example
 * @param channelsLast  true when the dataset stores {@code [H, W, C]}; irrelevant for one channel
 * @param imageShaped   true when the dataset itself declared an image shape (rank 2 or 3), not a vector
 */
public record ImageGeometry(
        int channels, int height, int width, int values, boolean channelsLast, boolean imageShaped) {

    public static ImageGeometry of(Shape example, String dataset) {
        long[] d = example.toArray();
        int values = Math.toIntExact(example.elementCount());
        switch (d.length) {
            case 1 -> {
                int side = (int) Math.round(Math.sqrt(values));
                return side >= 8 && side * side == values
                        ? new ImageGeometry(1, side, side, values, false, false)
                        : new ImageGeometry(1, 0, 0, values, false, false);
            }
            case 2 -> {
                return new ImageGeometry(1, (int) d[0], (int) d[1], values, false, true);
            }
            case 3 -> {
                if (isChannelCount(d[0]) && !isChannelCount(d[2])) {
                    return new ImageGeometry((int) d[0], (int) d[1], (int) d[2], values, false, true);
                }
                if (isChannelCount(d[2])) {
                    return new ImageGeometry((int) d[2], (int) d[0], (int) d[1], values, true, true);
                }
            }
            default -> {}
        }
        throw new IllegalArgumentException(
                "dataset " + dataset + " has examples of shape " + example
                        + "; evaluation expects a vector [F] or images shaped [H, W], [C, H, W] or [H, W, C] with C of 1, 3 or 4");
    }

    private static boolean isChannelCount(long c) {
        return c == 1 || c == 3 || c == 4;
    }

    public boolean isImage() {
        return height > 0 && width > 0;
    }

    /** Per-example dimensions of the model input in the given (resolved) layout. */
    long[] dims(InputLayout layout) {
        return switch (layout) {
            case FLAT -> new long[] {values};
            case NCHW -> new long[] {channels, height, width};
            case NHWC -> new long[] {height, width, channels};
            case AUTO -> throw new IllegalArgumentException("AUTO is not a concrete layout");
        };
    }

    /**
     * For each value of an example in {@code layout}, the index of its source value in the dataset's order;
     * null when the orders agree (always for one channel, and for FLAT, which feeds the stored order).
     */
    int[] gather(InputLayout layout) {
        boolean wantLast = layout == InputLayout.NHWC;
        if (channels == 1 || layout == InputLayout.FLAT || wantLast == channelsLast) {
            return null;
        }
        int plane = height * width;
        int[] g = new int[values];
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < plane; p++) {
                int chw = c * plane + p;
                int hwc = p * channels + c;
                if (wantLast) {
                    g[hwc] = chw;
                } else {
                    g[chw] = hwc;
                }
            }
        }
        return g;
    }

    @Override
    public String toString() {
        if (!isImage()) {
            return values + "-value examples";
        }
        return height + "x" + width + (channels == 1 ? " single-channel" : " " + channels + "-channel") + " images";
    }
}
