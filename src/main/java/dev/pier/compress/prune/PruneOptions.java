package dev.pier.compress.prune;

/**
 * How to prune. Immutable.
 *
 * @param method   MAGNITUDE (zero the smallest weights; shapes unchanged) or STRUCTURED (remove hidden neurons)
 * @param sparsity fraction of each layer's weights (MAGNITUDE) or hidden neurons (STRUCTURED) removed, in
 *                 [0, 1); ignored by MAGNITUDE when {@code quality} is set. Default 0.9
 * @param quality  Han et al.'s quality factor: MAGNITUDE zeroes {@code |w| < quality × std(W)} per layer;
 *                 null (default) uses {@code sparsity} instead
 */
public record PruneOptions(Method method, double sparsity, Double quality) {
    public enum Method { MAGNITUDE, STRUCTURED }

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
    }

    public static PruneOptions magnitude(double sparsity) {
        return new PruneOptions(Method.MAGNITUDE, sparsity, null);
    }

    public static PruneOptions structured(double sparsity) {
        return new PruneOptions(Method.STRUCTURED, sparsity, null);
    }
}
