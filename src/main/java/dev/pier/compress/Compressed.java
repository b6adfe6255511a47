package dev.pier.compress;

import dev.pier.onnx.proto.ModelProto;
import java.util.List;
import java.util.Map;

/**
 * A strategy's result: the rewritten model, per-layer facts (for instance sparsity per layer) and a few
 * strategy-specific figures for the report. Immutable.
 *
 * @param model   the compressed model
 * @param layers  one entry per touched layer, in graph order
 * @param details strategy settings and figures (mode, method, ...), insertion-ordered
 */
public record Compressed(ModelProto model, List<LayerChange> layers, Map<String, Object> details) {
    public Compressed {
        layers = List.copyOf(layers);
        details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }

    /**
     * What happened to one layer's weights.
     *
     * @param layer       node name (or op type and index when the node has none)
     * @param weight      the weight initializer's name
     * @param shapeBefore weight dims before
     * @param shapeAfter  weight dims after (differs only for structured pruning)
     * @param nonZero     non-zero weights after
     * @param sparsity    fraction of zero weights after, relative to the original count
     * @param note        what was done (e.g. {@code int8 per-channel})
     */
    public record LayerChange(
            String layer,
            String weight,
            List<Long> shapeBefore,
            List<Long> shapeAfter,
            long nonZero,
            double sparsity,
            String note) {}
}
