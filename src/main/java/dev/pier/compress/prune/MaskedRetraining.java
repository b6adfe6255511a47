package dev.pier.compress.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.pier.compress.Compressed;
import dev.pier.compress.CompressionStrategy;
import dev.pier.compress.WeightedOp;
import dev.pier.data.LabeledData;
import dev.pier.io.Trees;
import dev.pier.onnx.OnnxModel;
import dev.pier.onnx.OnnxModelFiles;
import dev.pier.onnx.OnnxModelReader;
import dev.pier.onnx.proto.ModelProto;
import dev.pier.train.DjlNetwork;
import dev.pier.train.OnnxExporter;
import dev.pier.train.OnnxImporter;
import dev.pier.train.TrainOptions;
import dev.pier.train.TrainingListener;
import dev.pier.train.TrainingService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prune, then retrain with the pruning masks fixed (Han et al. 2015): the pruned model is imported into a
 * trainable DJL network, trained at a tenth of the usual learning rate, and after every update each weight
 * matrix is multiplied by its 0/1 mask so pruned weights stay exactly zero. The result is exported with
 * {@link OnnxExporter} (so tensor names become Pier's {@code layerN.weight}). Needs a model
 * {@link OnnxImporter} can read. Immutable; each call owns the native memory it allocates.
 */
public final class MaskedRetraining implements CompressionStrategy {
    private final CompressionStrategy pruner;
    private final LabeledData train;
    private final int epochs;
    private final float learningRate;
    private final long seed;

    /**
     * @param learningRate the retraining rate; Han et al. use a tenth of the original, so 1e-4 for Pier's Adam default
     */
    public MaskedRetraining(CompressionStrategy pruner, LabeledData train, int epochs, float learningRate, long seed) {
        if (epochs < 1) {
            throw new IllegalArgumentException("retraining epochs must be >= 1, got " + epochs);
        }
        this.pruner = pruner;
        this.train = train;
        this.epochs = epochs;
        this.learningRate = learningRate;
        this.seed = seed;
    }

    @Override
    public String name() {
        return pruner.name() + "+retrain";
    }

    @Override
    public Compressed apply(OnnxModel model) {
        Compressed pruned = pruner.apply(model);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("pier-retrain");
            ModelProto retrained;
            dev.pier.train.EpochStats last;
            try (DjlNetwork net =
                    OnnxImporter.load(pruned.model(), model.file().getFileName().toString())) {
                List<Pair<Parameter, NDArray>> masks = new ArrayList<>();
                for (Pair<String, Parameter> p : net.block().getParameters()) {
                    if (p.getKey().endsWith("weight")
                            && p.getValue().getArray().getShape().dimension() >= 2) {
                        NDArray w = p.getValue().getArray();
                        masks.add(new Pair<>(p.getValue(), w.neq(0f).toType(w.getDataType(), false)));
                    }
                }
                TrainingListener keepMasks = new TrainingListener() {
                    @Override
                    public void onBatch(int epoch, int batch, double runningLoss, double runningAccuracy) {
                        masks.forEach(m -> m.getKey().getArray().muli(m.getValue()));
                    }
                };
                TrainOptions options = TrainOptions.defaults().toBuilder()
                        .architecture(net.architecture().name())
                        .learningRate(learningRate)
                        .epochs(epochs)
                        .validationSplit(0)
                        .seed(seed)
                        .output(dir.resolve("retrained.onnx"))
                        .checkpointDir(dir.resolve("checkpoints"))
                        .build();
                last = new TrainingService().fit(net, train, options, keepMasks).exported();
                masks.forEach(m -> m.getKey().getArray().muli(m.getValue()));
                retrained = OnnxExporter.build(net);
                masks.forEach(m -> m.getValue().close());
            }
            Path file = OnnxModelFiles.save(retrained, dir.resolve("retrained.onnx"));
            OnnxModel after = OnnxModelReader.read(file);
            List<Compressed.LayerChange> layers = new ArrayList<>();
            for (WeightedOp op : WeightedOp.find(retrained.getGraph())) {
                float[] w = after.initializerFloats(op.weight().getName());
                long nz = MagnitudePruner.nonZero(w);
                layers.add(new Compressed.LayerChange(
                        op.label(),
                        op.weight().getName(),
                        op.weight().getDimsList(),
                        op.weight().getDimsList(),
                        nz,
                        1 - nz / (double) w.length,
                        "retrained with mask"));
            }
            Map<String, Object> details = new LinkedHashMap<>(pruned.details());
            details.put("retrainEpochs", epochs);
            details.put("retrainLearningRate", learningRate);
            details.put("retrainData", train.name() + " (" + train.count() + " examples)");
            details.put("retrainFinalLoss", last.trainLoss());
            details.put("retrainFinalAccuracy", last.trainAccuracy());
            return new Compressed(retrained, layers, details);
        } catch (IOException e) {
            throw new UncheckedIOException("retraining failed: " + e.getMessage(), e);
        } finally {
            Trees.deleteQuietly(dir);
        }
    }
}
