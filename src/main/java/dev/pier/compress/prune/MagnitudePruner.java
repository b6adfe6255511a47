package dev.pier.compress.prune;

import dev.pier.compress.Compressed;
import dev.pier.compress.CompressionStrategy;
import dev.pier.compress.GraphRewrite;
import dev.pier.compress.WeightedOp;
import dev.pier.onnx.OnnxModel;
import dev.pier.onnx.OnnxTensors;
import dev.pier.onnx.proto.GraphProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unstructured magnitude pruning of MatMul/Gemm/Conv weights (biases are kept: they are few and pruning them
 * costs accuracy for nothing). Per layer, either the {@code ceil(sparsity × n)} smallest-magnitude weights are
 * zeroed ({@link PruneOptions#sparsityOf} may set a layer's own target), or (Han et al. 2015) every weight with {@code |w| < quality × std(W)}. Immutable.
 */
public final class MagnitudePruner implements CompressionStrategy {
    private final PruneOptions options;

    public MagnitudePruner(PruneOptions options) {
        this.options = options;
    }

    @Override
    public String name() {
        return "prune-magnitude";
    }

    @Override
    public Compressed apply(OnnxModel model) {
        GraphProto g = model.proto().getGraph();
        List<WeightedOp> ops = WeightedOp.find(g);
        if (ops.isEmpty()) {
            throw WeightedOp.nothingToCompress(g, "magnitude pruning of " + model.file());
        }
        GraphRewrite rw = new GraphRewrite(model.proto());
        List<Compressed.LayerChange> changes = new ArrayList<>();
        java.util.Set<String> done = new java.util.HashSet<>();
        int position = 0;
        for (WeightedOp op : ops) {
            String name = op.weight().getName();
            if (!done.add(name)) {
                continue;
            }
            position++;
            double target = options.sparsityOf(position);
            float[] w = model.initializerFloats(name);
            float[] pruned = prune(w, target);
            long[] dims = op.weight().getDimsList().stream()
                    .mapToLong(Long::longValue)
                    .toArray();
            rw.initializer(OnnxTensors.floats(name, dims, pruned));
            long nz = nonZero(pruned);
            changes.add(new Compressed.LayerChange(
                    op.label(),
                    name,
                    op.weight().getDimsList(),
                    op.weight().getDimsList(),
                    nz,
                    1 - nz / (double) w.length,
                    options.quality() != null
                            ? String.format(
                                    java.util.Locale.ROOT,
                                    "|w| < %.3g (quality %.3g x std)",
                                    threshold(w),
                                    options.quality())
                            : String.format(java.util.Locale.ROOT, "smallest %.1f%% zeroed", target * 100)));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("method", "magnitude");
        if (options.quality() != null) {
            details.put("quality", options.quality());
        } else {
            details.put("sparsity", options.sparsity());
            if (!options.layerSparsity().isEmpty()) {
                details.put("layerSparsity", options.layerSparsity());
            }
        }
        long total = changes.stream()
                .mapToLong(c -> c.shapeBefore().stream().reduce(1L, Math::multiplyExact))
                .sum();
        long nz = changes.stream().mapToLong(Compressed.LayerChange::nonZero).sum();
        details.put("prunableWeights", total);
        details.put("prunableNonZero", nz);
        details.put("prunableSparsity", 1 - nz / (double) total);
        return new Compressed(rw.build(), changes, details);
    }

    /** The layer's weights with the pruned ones set to zero ({@code sparsity} is ignored under a quality factor). */
    float[] prune(float[] w, double sparsity) {
        float[] out = w.clone();
        if (options.quality() != null) {
            float t = threshold(w);
            for (int i = 0; i < out.length; i++) {
                if (Math.abs(out[i]) < t) {
                    out[i] = 0f;
                }
            }
            return out;
        }
        // the small epsilon keeps a product like 0.92 × 0.5 × 2 from rounding 1 weight above its exact target
        int k = (int) Math.ceil(sparsity * w.length - 1e-9);
        if (k == 0) {
            return out;
        }
        // Sort indices by magnitude and zero exactly k of them, so ties cannot push sparsity below the target.
        Integer[] idx = new Integer[w.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Float.compare(Math.abs(w[a]), Math.abs(w[b])));
        for (int i = 0; i < k; i++) {
            out[idx[i]] = 0f;
        }
        return out;
    }

    private float threshold(float[] w) {
        double mean = 0;
        for (float v : w) {
            mean += v;
        }
        mean /= w.length;
        double var = 0;
        for (float v : w) {
            var += (v - mean) * (v - mean);
        }
        return (float) (options.quality() * Math.sqrt(var / w.length));
    }

    static long nonZero(float[] v) {
        long n = 0;
        for (float f : v) {
            if (f != 0f) {
                n++;
            }
        }
        return n;
    }
}
