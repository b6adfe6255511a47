package dev.pier.data;

/** Scales feature columns in place, per {@link CsvOptions.Normalization}. Stateless. */
final class Normalizer {
    private Normalizer() {
    }

    static void apply(float[] x, int rows, int cols, CsvOptions.Normalization mode) {
        if (mode == CsvOptions.Normalization.NONE) {
            return;
        }
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
            for (int r = 0; r < rows; r++) {
                x[r * cols + c] = scale == 0 ? 0f : (float) ((x[r * cols + c] - shift) / scale);
            }
        }
    }
}
