/**
 * Reference profiles: what the data a model was validated on looked like (per-feature summary statistics,
 * histograms and samples, the predicted-class distribution), stored as {@code <stem>.profile.json} next to the
 * model so the server can compare live traffic with it ({@link dev.pier.monitor.drift}). The same
 * {@link dev.pier.profile.FeatureExtractor} turns reference rows and live rows into features.
 */
package dev.pier.profile;
