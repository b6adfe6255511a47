package dev.pier.evaluate;

import dev.pier.data.LabeledData;

/**
 * The factor that brings a dataset's pixel values into [0, 1], which is what evaluation feeds image models:
 * 1 when they already are, 1/255 when they are raw 8-bit intensities. Image data in any other range
 * (negative values, mean/std-normalised) is refused, since a model trained on [0, 1] would be judged on
 * other inputs. Vector data ({@code [F]}, such as CSV features) that is not already in [0, 1] is fed as it
 * is: tabular features have their own scales, which the dataset's loader options control.
 */
public final class PixelScale {

    private PixelScale() {}

    public static float of(LabeledData data, ImageGeometry geometry) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : data.features()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (min >= 0 && max <= 1 || !geometry.imageShaped()) {
            return 1f;
        }
        if (min >= 0 && max <= 255) {
            return 1f / 255f;
        }
        throw new IllegalArgumentException("dataset " + data.name() + " has pixel values in [" + min + ", " + max
                + "]; evaluation expects [0, 1] or raw [0, 255] intensities");
    }
}
