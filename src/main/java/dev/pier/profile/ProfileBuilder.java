package dev.pier.profile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Accumulates reference rows (as fed to the model) and the model's predictions on them, then builds a
 * {@link ReferenceProfile}. Holds every feature value until {@link #build}, which is
 * {@code rows × features} doubles (10,000 MNIST images: about 1 MB). Not thread-safe.
 */
public final class ProfileBuilder {
    private final FeatureExtractor extractor;
    private final long[] classCounts;
    private double[][] values; // [feature][row]
    private int rows;

    /** @param numClasses classes the model scores (>= 2) */
    public ProfileBuilder(FeatureExtractor extractor, int numClasses) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("a classifier profile needs at least 2 classes, got " + numClasses);
        }
        this.extractor = extractor;
        this.classCounts = new long[numClasses];
        this.values = new double[extractor.names().size()][1024];
    }

    /** Adds {@code count} rows stored one after another in {@code data} from {@code offset}. */
    public void addRows(float[] data, int offset, int count) {
        int per = extractor.spec().values();
        if (offset + (long) count * per > data.length) {
            throw new IllegalArgumentException(count + " rows of " + per + " values from offset " + offset + " overrun "
                    + data.length + " values");
        }
        double[] out = new double[values.length];
        for (int r = 0; r < count; r++) {
            if (rows == values[0].length) {
                for (int f = 0; f < values.length; f++) {
                    values[f] = Arrays.copyOf(values[f], rows * 2);
                }
            }
            extractor.extract(data, offset + r * per, out);
            for (int f = 0; f < out.length; f++) {
                values[f][rows] = out[f];
            }
            rows++;
        }
    }

    /** Counts the model's predicted class of one row. */
    public void addPrediction(int predictedClass) {
        if (predictedClass < 0 || predictedClass >= classCounts.length) {
            throw new IllegalArgumentException(
                    "predicted class " + predictedClass + " is outside [0, " + classCounts.length + ")");
        }
        classCounts[predictedClass]++;
    }

    public ReferenceProfile build(String model, String dataset, ReferenceProfile.InputInfo input) {
        if (rows == 0) {
            throw new IllegalStateException("no reference rows were added; a profile needs data");
        }
        List<FeatureStats> stats = new ArrayList<>();
        for (int f = 0; f < values.length; f++) {
            stats.add(FeatureStats.of(extractor.names().get(f), Arrays.copyOf(values[f], rows)));
        }
        return new ReferenceProfile(
                ReferenceProfile.FORMAT_VERSION,
                model,
                dataset,
                Instant.now().toString(),
                input,
                extractor.spec(),
                rows,
                stats,
                new ClassDistribution(classCounts));
    }
}
