package dev.pier.compress.prune;

import java.util.Map;
import java.util.TreeMap;

/**
 * How to prune. Immutable.
 *
 * @param method        MAGNITUDE (zero the smallest weights; shapes unchanged) or STRUCTURED (remove hidden neurons)
 * @param sparsity      fraction of each layer's weights (MAGNITUDE) or hidden neurons (STRUCTURED) removed, in
 *                      [0, 1); ignored by MAGNITUDE when {@code quality} is set. Default 0.9
 * @param quality       Han et al.'s quality factor: MAGNITUDE zeroes {@code |w| < quality × std(W)} per layer;
 *                      null (default) uses {@code sparsity} instead
 * @param layerSparsity MAGNITUDE only: per-layer overrides of {@code sparsity}, keyed by the layer's 1-based
 *                      position among the model's MatMul/Gemm/Conv weights in graph order (positions survive the
 *                      renaming an export does; Han et al. prune the small output layer less, e.g. LeNet-300-100's
 *                      third layer to 74 %). Empty by default
 */
public record PruneOptions(Method method, double sparsity, Double quality, Map<Integer, Double> layerSparsity) {
    public enum Method {
        MAGNITUDE,
        STRUCTURED
    }

    public PruneOptions {
        if (method == null) {
            throw new IllegalArgumentException("pruning method is required (magnitude or structured)");
        }
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new IllegalArgumentException("sparsity must be in [0, 1), got " + sparsity);
        }
        if (quality != null && !(quality >= 0)) {
            throw new IllegalArgumentException("quality factor must be >= 0, got " + quality);
        }
        layerSparsity =
                layerSparsity == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(layerSparsity));
        for (Map.Entry<Integer, Double> e : layerSparsity.entrySet()) {
            if (e.getKey() == null || e.getKey() < 1) {
                throw new IllegalArgumentException(
                        "layer positions start at 1 (the first MatMul/Gemm/Conv), got " + e.getKey());
            }
            if (e.getValue() == null || !(e.getValue() >= 0 && e.getValue() < 1)) {
                throw new IllegalArgumentException(
                        "sparsity of layer " + e.getKey() + " must be in [0, 1), got " + e.getValue());
            }
        }
        if (!layerSparsity.isEmpty() && (method != Method.MAGNITUDE || quality != null)) {
            throw new IllegalArgumentException("per-layer sparsity applies to magnitude pruning by sparsity only"
                    + " (not to structured pruning or --quality)");
        }
    }

    public PruneOptions(Method method, double sparsity, Double quality) {
        this(method, sparsity, quality, Map.of());
    }

    public static PruneOptions magnitude(double sparsity) {
        return new PruneOptions(Method.MAGNITUDE, sparsity, null);
    }

    public static PruneOptions structured(double sparsity) {
        return new PruneOptions(Method.STRUCTURED, sparsity, null);
    }

    /** The target sparsity of the layer at 1-based {@code position}. */
    public double sparsityOf(int position) {
        return layerSparsity.getOrDefault(position, sparsity);
    }

    /** The same options with every layer's target multiplied by {@code fraction} (a step of a schedule). */
    public PruneOptions scaled(double fraction) {
        Map<Integer, Double> layers = new TreeMap<>();
        layerSparsity.forEach((k, v) -> layers.put(k, v * fraction));
        return new PruneOptions(method, sparsity * fraction, quality, layers);
    }
}
