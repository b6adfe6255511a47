package dev.pier.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;

/**
 * A DJL network built from an {@link Architecture}, with its parameters allocated and ready to train,
 * predict or export. Owns native memory: close it. Not thread-safe (training mutates the parameters).
 */
public final class DjlNetwork implements AutoCloseable {
    private final Model model;
    private final Architecture architecture;
    private final dev.pier.api.Shape exampleShape;
    private dev.pier.data.FeatureScaling inputScaling;

    private DjlNetwork(Model model, Architecture architecture, dev.pier.api.Shape exampleShape) {
        this.model = model;
        this.architecture = architecture;
        this.exampleShape = exampleShape;
    }

    /**
     * Builds the network for examples of {@code exampleShape} and initialises its parameters (Glorot
     * uniform for weights, zeros for biases), seeded so the same seed gives the same initial weights.
     */
    public static DjlNetwork create(Architecture architecture, dev.pier.api.Shape exampleShape, long seed) {
        DjlEngines.pytorch();
        DjlEngines.seed(seed);
        SequentialBlock block = Networks.build(architecture);
        Model model = Model.newInstance("pier", DjlEngines.ENGINE);
        try {
            model.setBlock(block);
            // Glorot uniform, U(±sqrt(6 / (fan_in + fan_out))), as Keras initialises Dense and Conv layers. DJL's
            // default XavierInitializer() has magnitude 6 over the *average* fan, a sqrt(2) wider range; with it
            // the reference MLP reached 97.28% test accuracy against 97.69% for PyTorch with Glorot (same data).
            block.setInitializer(
                    new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3f),
                    Parameter.Type.WEIGHT);
            block.initialize(model.getNDManager(), DataType.FLOAT32, batchShape(exampleShape, 1));
            return new DjlNetwork(model, architecture, exampleShape);
        } catch (RuntimeException e) {
            model.close();
            throw new IllegalArgumentException(
                    "architecture " + architecture.name() + " does not fit examples of shape " + exampleShape + ": "
                            + e.getMessage(),
                    e);
        }
    }

    public Model model() {
        return model;
    }

    public SequentialBlock block() {
        return (SequentialBlock) model.getBlock();
    }

    public Architecture architecture() {
        return architecture;
    }

    public dev.pier.api.Shape exampleShape() {
        return exampleShape;
    }

    /**
     * The scaling its training data went through before reaching the first layer (CSV {@code --normalize}), which
     * the exported graph repeats on raw inputs; null when the network takes inputs as they are. The network's own
     * {@link #logits} take already-scaled values, as in training.
     */
    public dev.pier.data.FeatureScaling inputScaling() {
        return inputScaling;
    }

    /** Sets {@link #inputScaling()}; returns this. */
    public DjlNetwork inputScaling(dev.pier.data.FeatureScaling scaling) {
        if (scaling != null && scaling.columns() != exampleShape.elementCount()) {
            throw new IllegalArgumentException(
                    "input scaling of " + scaling.columns() + " columns for examples of shape " + exampleShape);
        }
        this.inputScaling = scaling;
        return this;
    }

    /** The network's raw outputs (logits) for {@code count} examples, row-major {@code [count, classes]}. */
    public float[] logits(float[] features, int count) {
        try (NDManager scope = model.getNDManager().newSubManager()) {
            NDArray x = scope.create(features, batchShape(exampleShape, count));
            NDList out = block().forward(new ParameterStore(scope, false), new NDList(x), false);
            return out.singletonOrThrow().toFloatArray();
        }
    }

    /** Softmax of {@link #logits}, computed by the engine exactly as the exported graph's last node does. */
    public float[] probabilities(float[] features, int count) {
        try (NDManager scope = model.getNDManager().newSubManager()) {
            NDArray x = scope.create(features, batchShape(exampleShape, count));
            NDList out = block().forward(new ParameterStore(scope, false), new NDList(x), false);
            return out.singletonOrThrow().softmax(1).toFloatArray();
        }
    }

    static Shape batchShape(dev.pier.api.Shape example, long batch) {
        long[] dims = new long[example.rank() + 1];
        dims[0] = batch;
        for (int i = 0; i < example.rank(); i++) {
            dims[i + 1] = example.dim(i);
        }
        return new Shape(dims);
    }

    @Override
    public void close() {
        model.close();
    }
}
