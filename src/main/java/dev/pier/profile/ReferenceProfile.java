package dev.pier.profile;

import java.util.List;

/**
 * What the data a model was validated on looked like, stored as {@code <stem>.profile.json} next to the model (see
 * {@link Profiles}). Immutable.
 *
 * @param formatVersion {@link #FORMAT_VERSION}; readers refuse newer formats
 * @param model         the model file it was built for, as given
 * @param dataset       the dataset's name (for instance {@code mnist:train:10000} or a validation split)
 * @param createdAt     ISO-8601 instant
 * @param input         the model input the rows were fed to
 * @param features      how rows become features (the same on live traffic)
 * @param rows          reference rows
 * @param stats         one entry per feature, in {@link FeatureExtractor#names()} order
 * @param predictions   the model's predicted-class distribution on the reference rows
 * @param modelSha256   SHA-256 (hex) of the model file's bytes, so a profile is never used for another model;
 *                      null in profiles written before it was recorded
 */
public record ReferenceProfile(
        int formatVersion,
        String model,
        String dataset,
        String createdAt,
        InputInfo input,
        FeatureSpec features,
        long rows,
        List<FeatureStats> stats,
        ClassDistribution predictions,
        String modelSha256) {

    public static final int FORMAT_VERSION = 1;

    /** A profile without the model's hash. */
    public ReferenceProfile(
            int formatVersion,
            String model,
            String dataset,
            String createdAt,
            InputInfo input,
            FeatureSpec features,
            long rows,
            List<FeatureStats> stats,
            ClassDistribution predictions) {
        this(formatVersion, model, dataset, createdAt, input, features, rows, stats, predictions, null);
    }

    public ReferenceProfile {
        stats = List.copyOf(stats);
    }

    /** This profile stamped with the hash of the model file it was built for. */
    public ReferenceProfile withModelSha256(String sha256) {
        return new ReferenceProfile(
                formatVersion, model, dataset, createdAt, input, features, rows, stats, predictions, sha256);
    }

    /**
     * @param name     the model input's name
     * @param datatype its KServe V2 datatype name (FP32, FP64)
     * @param shape    its declared shape, -1 for dynamic dimensions
     */
    public record InputInfo(String name, String datatype, long[] shape) {
        public InputInfo {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }
    }

    /** The statistics of a feature by name. */
    public FeatureStats stats(String feature) {
        return stats.stream()
                .filter(s -> s.name().equals(feature))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("profile has no feature '" + feature + "'; it has "
                        + stats.stream().map(FeatureStats::name).toList()));
    }
}
