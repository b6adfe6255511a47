package dev.pier.data;

/** Computes the per-column {@link FeatureScaling} of a {@link CsvOptions.Normalization} on the data itself. Stateless. */
final class Normalizer {
    private Normalizer() {}

    /** The scaling of {@code mode} for row-major {@code [rows, cols]} values; null for {@code NONE}. */
    static FeatureScaling fit(float[] x, int rows, int cols, CsvOptions.Normalization mode) {
        if (mode == CsvOptions.Normalization.NONE) {
            return null;
        }
        float[] shifts = new float[cols];
        float[] scales = new float[cols];
        for (int c = 0; c < cols; c++) {
            double a = Double.POSITIVE_INFINITY;
            double b = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                double v = x[r * cols + c];
                a = Math.min(a, v);
                b = Math.max(b, v);
                sum += v;
            }
            double shift;
            double scale;
            if (mode == CsvOptions.Normalization.MINMAX) {
                shift = a;
                scale = b - a;
            } else {
                double mean = sum / rows;
                double sq = 0;
                for (int r = 0; r < rows; r++) {
                    double d = x[r * cols + c] - mean;
                    sq += d * d;
                }
                shift = mean;
                scale = Math.sqrt(sq / rows);
            }
            shifts[c] = (float) shift;
            // a constant column: x - shift is already 0, dividing by 1 keeps it 0 (and the graph free of a 1/0)
            scales[c] = scale == 0 || (float) scale == 0f ? 1f : (float) scale;
        }
        return new FeatureScaling(shifts, scales);
    }
}
