package dev.pier.train;

import java.util.List;

/**
 * A sequential network as a list of layers, ready to be built in DJL or written to ONNX. Immutable.
 *
 * @param name   the spec it came from ({@code mlp:128}, {@code lenet5}, a YAML file name), for logs
 * @param layers the layers in order; the last one produces the class logits (no softmax: training uses
 *               softmax cross-entropy on logits and the exporter appends the softmax)
 */
public record Architecture(String name, List<LayerSpec> layers) {

    public Architecture {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("architecture " + name + " has no layers");
        }
    }

    /** True when the network starts with spatial layers and so wants {@code [C, H, W]} examples. */
    public boolean wantsImages() {
        for (LayerSpec layer : layers) {
            if (layer instanceof LayerSpec.Conv2d || layer instanceof LayerSpec.Pool) {
                return true;
            }
            if (layer instanceof LayerSpec.Dense || layer instanceof LayerSpec.Flatten) {
                return false;
            }
        }
        return false;
    }
}
