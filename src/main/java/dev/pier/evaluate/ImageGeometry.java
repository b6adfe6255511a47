package dev.pier.evaluate;

import dev.pier.api.Shape;

/**
 * Height and width of the single-channel images in a dataset, read from its example shape: {@code [H·W]}
 * when that is a square, {@code [H, W]}, {@code [1, H, W]} or {@code [H, W, 1]}. Images with one channel
 * lie in memory the same way in all of these, which is why reshaping to any model layout needs no copy.
 *
 * @param height rows of pixels, or 0 when the dataset is flat and not square (only a flat model fits)
 * @param width  columns of pixels, or 0 likewise
 * @param pixels values per example
 */
public record ImageGeometry(int height, int width, int pixels) {

    public static ImageGeometry of(Shape example, String dataset) {
        long[] d = example.toArray();
        int pixels = Math.toIntExact(example.elementCount());
        switch (d.length) {
            case 1 -> {
                int side = (int) Math.round(Math.sqrt(pixels));
                return side * side == pixels ? new ImageGeometry(side, side, pixels) : new ImageGeometry(0, 0, pixels);
            }
            case 2 -> {
                return new ImageGeometry((int) d[0], (int) d[1], pixels);
            }
            case 3 -> {
                if (d[0] == 1) {
                    return new ImageGeometry((int) d[1], (int) d[2], pixels);
                }
                if (d[2] == 1) {
                    return new ImageGeometry((int) d[0], (int) d[1], pixels);
                }
            }
            default -> {
            }
        }
        throw new IllegalArgumentException("dataset " + dataset + " has examples of shape " + example
                + "; evaluation expects single-channel images shaped [H*W], [H, W], [1, H, W] or [H, W, 1]");
    }

    public boolean isImage() {
        return height > 0 && width > 0;
    }

    /** Per-example dimensions of the model input in the given (resolved) layout. */
    long[] dims(InputLayout layout) {
        return switch (layout) {
            case FLAT -> new long[]{pixels};
            case NCHW -> new long[]{1, height, width};
            case NHWC -> new long[]{height, width, 1};
            case AUTO -> throw new IllegalArgumentException("AUTO is not a concrete layout");
        };
    }

    @Override
    public String toString() {
        return isImage() ? height + "x" + width + " single-channel images" : pixels + "-value examples";
    }
}
