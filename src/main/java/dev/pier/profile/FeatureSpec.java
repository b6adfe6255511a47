package dev.pier.profile;

/**
 * Which scalar features describe one input row (one example as the model receives it), and what is needed to
 * compute them the same way on reference data and on live traffic. Immutable; part of {@code profile.json}.
 *
 * @param kind         IMAGE (summary features of an image), TABULAR (each value is a feature) or VECTOR
 *                     (summary features of a long vector that is not an image)
 * @param values       values per row
 * @param channels     image channels (1 otherwise)
 * @param height       image rows (0 when not an image)
 * @param width        image columns (0 when not an image)
 * @param channelsLast true when a row is laid out {@code [H, W, C]}, false for {@code [C, H, W]} (or one channel)
 * @param low          the lowest value seen in the reference data; with {@code high}, fixes the "ink"
 *                     threshold (half-way) so that it means the same on live rows
 * @param high         the highest value seen in the reference data
 */
public record FeatureSpec(
        Kind kind, int values, int channels, int height, int width, boolean channelsLast, double low, double high) {

    /** Rows of at most this many values that are not images are profiled value by value. */
    public static final int MAX_TABULAR = 32;

    public enum Kind {
        IMAGE,
        TABULAR,
        VECTOR
    }

    public FeatureSpec {
        if (kind == null || values < 1) {
            throw new IllegalArgumentException(
                    "a feature spec needs a kind and at least one value per row, got " + kind + " with " + values);
        }
        if (kind == Kind.IMAGE && (long) channels * height * width != values) {
            throw new IllegalArgumentException(
                    "image " + channels + "x" + height + "x" + width + " does not make " + values + " values");
        }
        if (!(high > low)) {
            throw new IllegalArgumentException("value range [" + low + ", " + high + "] must have high > low");
        }
    }

    /**
     * Detects the kind from one example's dimensions (after the batch dimension) as the model receives it:
     * {@code [F]} (an image when F is a square of side 8 or more, as MNIST's 784), {@code [H, W]},
     * {@code [C, H, W]} or {@code [H, W, C]} with C of 1, 3 or 4.
     */
    public static FeatureSpec detect(long[] exampleDims, double low, double high) {
        long count = 1;
        for (long d : exampleDims) {
            if (d < 1) {
                throw new IllegalArgumentException(
                        "example dimensions must be known and >= 1, got " + java.util.Arrays.toString(exampleDims));
            }
            count *= d;
        }
        int values = Math.toIntExact(count);
        double hi = high > low ? high : low + 1;
        switch (exampleDims.length) {
            case 1 -> {
                int side = (int) Math.round(Math.sqrt(values));
                if (side >= 8 && side * side == values) {
                    return new FeatureSpec(Kind.IMAGE, values, 1, side, side, false, low, hi);
                }
            }
            case 2 -> {
                return new FeatureSpec(
                        Kind.IMAGE, values, 1, (int) exampleDims[0], (int) exampleDims[1], false, low, hi);
            }
            case 3 -> {
                if (isChannels(exampleDims[0]) && !isChannels(exampleDims[2])) {
                    return new FeatureSpec(
                            Kind.IMAGE,
                            values,
                            (int) exampleDims[0],
                            (int) exampleDims[1],
                            (int) exampleDims[2],
                            false,
                            low,
                            hi);
                }
                if (isChannels(exampleDims[2])) {
                    return new FeatureSpec(
                            Kind.IMAGE,
                            values,
                            (int) exampleDims[2],
                            (int) exampleDims[0],
                            (int) exampleDims[1],
                            true,
                            low,
                            hi);
                }
            }
            default -> {}
        }
        return new FeatureSpec(values <= MAX_TABULAR ? Kind.TABULAR : Kind.VECTOR, values, 1, 0, 0, false, low, hi);
    }

    private static boolean isChannels(long c) {
        return c == 1 || c == 3 || c == 4;
    }
}
