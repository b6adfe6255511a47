package dev.pier.profile;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns one input row (one example's values as the model receives them) into named scalar features. The
 * reference profile and the live drift detector use this one class, so a feature means the same thing on
 * both sides. Immutable and thread-safe.
 *
 * <ul>
 * <li>IMAGE: {@code mean_intensity}, {@code std_intensity}, {@code ink_area} (fraction of pixels above the
 * middle of the reference value range), {@code center_of_mass_x}/{@code _y} (intensity-weighted, 0..1), and
 * per-pixel aggregates: the mean of each cell of a 3x3 grid, {@code region_<row>_<col>}. Channels are
 * averaged into one intensity per pixel.</li>
 * <li>TABULAR: each value, {@code feature_<i>}.</li>
 * <li>VECTOR: {@code mean}, {@code std}, {@code min}, {@code max} and the means of 8 equal chunks,
 * {@code chunk_<i>}.</li>
 * </ul>
 */
public final class FeatureExtractor {
    static final int GRID = 3;
    static final int CHUNKS = 8;

    private final FeatureSpec spec;
    private final List<String> names;
    private final double inkThreshold;

    public FeatureExtractor(FeatureSpec spec) {
        this.spec = spec;
        this.inkThreshold = spec.low() + 0.5 * (spec.high() - spec.low());
        List<String> n = new ArrayList<>();
        switch (spec.kind()) {
            case IMAGE -> {
                n.addAll(
                        List.of("mean_intensity", "std_intensity", "ink_area", "center_of_mass_x", "center_of_mass_y"));
                for (int r = 0; r < GRID; r++) {
                    for (int c = 0; c < GRID; c++) {
                        n.add("region_" + r + "_" + c);
                    }
                }
            }
            case TABULAR -> {
                for (int i = 0; i < spec.values(); i++) {
                    n.add("feature_" + i);
                }
            }
            case VECTOR -> {
                n.addAll(List.of("mean", "std", "min", "max"));
                for (int i = 0; i < CHUNKS; i++) {
                    n.add("chunk_" + i);
                }
            }
        }
        this.names = List.copyOf(n);
    }

    public FeatureSpec spec() {
        return spec;
    }

    /** Feature names, in the order {@link #extract} writes them. */
    public List<String> names() {
        return names;
    }

    /** Writes the features of the row {@code row[offset, offset + spec.values())} into {@code out}. */
    public void extract(float[] row, int offset, double[] out) {
        switch (spec.kind()) {
            case IMAGE -> image(row, offset, out);
            case TABULAR -> {
                for (int i = 0; i < spec.values(); i++) {
                    out[i] = row[offset + i];
                }
            }
            case VECTOR -> vector(row, offset, out);
        }
    }

    private void image(float[] row, int offset, double[] out) {
        int h = spec.height();
        int w = spec.width();
        int ch = spec.channels();
        double sum = 0;
        double sumSq = 0;
        int ink = 0;
        double mass = 0;
        double mx = 0;
        double my = 0;
        double[] region = new double[GRID * GRID];
        int[] regionCount = new int[GRID * GRID];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = pixel(row, offset, y, x, h, w, ch);
                sum += v;
                sumSq += v * v;
                if (v > inkThreshold) {
                    ink++;
                }
                double weight = Math.max(0, v - spec.low());
                mass += weight;
                mx += weight * (x + 0.5) / w;
                my += weight * (y + 0.5) / h;
                int cell = (y * GRID / h) * GRID + (x * GRID / w);
                region[cell] += v;
                regionCount[cell]++;
            }
        }
        int pixels = h * w;
        double mean = sum / pixels;
        out[0] = mean;
        out[1] = Math.sqrt(Math.max(0, sumSq / pixels - mean * mean));
        out[2] = (double) ink / pixels;
        out[3] = mass > 0 ? mx / mass : 0.5;
        out[4] = mass > 0 ? my / mass : 0.5;
        for (int i = 0; i < region.length; i++) {
            out[5 + i] = regionCount[i] > 0 ? region[i] / regionCount[i] : 0;
        }
    }

    /** The intensity of pixel (y, x): its channels averaged. */
    private double pixel(float[] row, int offset, int y, int x, int h, int w, int ch) {
        if (ch == 1) {
            return row[offset + y * w + x];
        }
        double s = 0;
        for (int c = 0; c < ch; c++) {
            s += spec.channelsLast() ? row[offset + (y * w + x) * ch + c] : row[offset + c * h * w + y * w + x];
        }
        return s / ch;
    }

    private void vector(float[] row, int offset, double[] out) {
        int n = spec.values();
        double sum = 0;
        double sumSq = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double[] chunk = new double[CHUNKS];
        int[] chunkCount = new int[CHUNKS];
        for (int i = 0; i < n; i++) {
            double v = row[offset + i];
            sum += v;
            sumSq += v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            int c = (int) ((long) i * CHUNKS / n);
            chunk[c] += v;
            chunkCount[c]++;
        }
        double mean = sum / n;
        out[0] = mean;
        out[1] = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
        out[2] = min;
        out[3] = max;
        for (int c = 0; c < CHUNKS; c++) {
            out[4 + c] = chunkCount[c] > 0 ? chunk[c] / chunkCount[c] : 0;
        }
    }
}
