package dev.pier.train;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;

/**
 * Builds a DJL {@link SequentialBlock} from an {@link Architecture}, one child block per {@link LayerSpec}
 * in the same order: the exporter relies on that one-to-one correspondence. Stateless.
 */
public final class Networks {
    private Networks() {}

    public static SequentialBlock build(Architecture architecture) {
        SequentialBlock net = new SequentialBlock();
        for (LayerSpec layer : architecture.layers()) {
            net.add(block(layer));
        }
        return net;
    }

    static Block block(LayerSpec layer) {
        return switch (layer) {
            case LayerSpec.Dense d -> Linear.builder().setUnits(d.units()).build();
            case LayerSpec.Conv2d c ->
                Conv2d.builder()
                        .setFilters(c.filters())
                        .setKernelShape(new Shape(c.kernel(), c.kernel()))
                        .optStride(new Shape(c.stride(), c.stride()))
                        .optPadding(new Shape(c.padding(), c.padding()))
                        .build();
            case LayerSpec.Pool p -> {
                Shape k = new Shape(p.kernel(), p.kernel());
                Shape s = new Shape(p.stride(), p.stride());
                Shape pad = new Shape(p.padding(), p.padding());
                yield p.kind() == LayerSpec.PoolKind.MAX
                        ? Pool.maxPool2dBlock(k, s, pad)
                        : Pool.avgPool2dBlock(k, s, pad, false, false);
            }
            case LayerSpec.BatchNorm b ->
                BatchNorm.builder()
                        .optEpsilon(b.epsilon())
                        .optMomentum(b.momentum())
                        .build();
            case LayerSpec.Dropout d -> Dropout.builder().optRate(d.rate()).build();
            case LayerSpec.Flatten f -> Blocks.batchFlattenBlock();
            case LayerSpec.Activation a ->
                switch (a.kind()) {
                    case RELU -> Activation.reluBlock();
                    case TANH -> Activation.tanhBlock();
                    case SIGMOID -> Activation.sigmoidBlock();
                    case SOFTMAX ->
                        new ai.djl.nn.LambdaBlock(list -> new ai.djl.ndarray.NDList(
                                list.singletonOrThrow().softmax(1)));
                };
        };
    }
}
