package dev.pier.data;

import java.util.Arrays;

/**
 * The per-column affine scaling a CSV loader applied to the features: {@code (x - shift[c]) / scale[c]}.
 * Kept with the data so that the exported model can repeat it on raw inputs (the trainer bakes it into the
 * ONNX graph); a model that expects scaled inputs nobody else knows how to produce mis-predicts silently.
 * A constant column has scale 1, so it maps to 0 as in training. Immutable.
 *
 * @param shift subtracted from each column (its mean or minimum)
 * @param scale what the shifted column is divided by (its standard deviation or range; never 0)
 */
public record FeatureScaling(float[] shift, float[] scale) {

    public FeatureScaling {
        if (shift.length != scale.length) {
            throw new IllegalArgumentException(shift.length + " shifts for " + scale.length + " scales");
        }
        for (int c = 0; c < scale.length; c++) {
            if (!(scale[c] != 0 && Float.isFinite(scale[c]) && Float.isFinite(shift[c]))) {
                throw new IllegalArgumentException("column " + c + " has scale " + scale[c] + " and shift " + shift[c]
                        + "; both must be finite and the scale non-zero");
            }
        }
        shift = shift.clone();
        scale = scale.clone();
    }

    @Override
    public float[] shift() {
        return shift.clone();
    }

    @Override
    public float[] scale() {
        return scale.clone();
    }

    public int columns() {
        return shift.length;
    }

    /** Scales row-major {@code [rows, columns]} values in place. */
    public void apply(float[] x) {
        int cols = columns();
        for (int i = 0; i < x.length; i++) {
            int c = i % cols;
            x[i] = (x[i] - shift[c]) / scale[c];
        }
    }

    /** The raw values that {@link #apply} turned into {@code scaled} (up to float rounding); a new array. */
    public float[] invert(float[] scaled) {
        int cols = columns();
        float[] raw = new float[scaled.length];
        for (int i = 0; i < scaled.length; i++) {
            int c = i % cols;
            raw[i] = scaled[i] * scale[c] + shift[c];
        }
        return raw;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureScaling f && Arrays.equals(shift, f.shift) && Arrays.equals(scale, f.scale);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shift) + Arrays.hashCode(scale);
    }

    @Override
    public String toString() {
        return "FeatureScaling[shift=" + Arrays.toString(shift) + ", scale=" + Arrays.toString(scale) + "]";
    }
}
