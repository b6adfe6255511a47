package dev.pier.compress.distill;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import dev.pier.compress.Compressed;
import dev.pier.compress.CompressionStrategy;
import dev.pier.data.LabeledData;
import dev.pier.onnx.OnnxModel;
import dev.pier.onnx.proto.ModelProto;
import dev.pier.runtime.InferenceEngine;
import dev.pier.train.Architecture;
import dev.pier.train.Architectures;
import dev.pier.train.DjlNetwork;
import dev.pier.train.OnnxExporter;
import dev.pier.train.Optimizers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Distils the input model (the teacher) into a new student network: soft targets from ONNX Runtime, the
 * student trained with DJL on {@link DistillationLoss}, exported with {@link OnnxExporter}. With
 * {@code alpha = 0} this is plain cross-entropy training of the student, the baseline distillation must beat.
 * Immutable; the engine is borrowed, each call owns the native memory it allocates.
 */
public final class Distiller implements CompressionStrategy {
    private final InferenceEngine engine;
    private final LabeledData train;
    private final DistillOptions options;

    public Distiller(InferenceEngine engine, LabeledData train, DistillOptions options) {
        this.engine = engine;
        this.train = train;
        this.options = options;
    }

    @Override
    public String name() {
        return "distill";
    }

    @Override
    public Compressed apply(OnnxModel teacher) {
        float[] soft = TeacherTargets.soft(engine, teacher.file(), train, options.temperature());
        Architecture arch;
        try {
            arch = Architectures.parse(options.student(), train.numClasses());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read student architecture " + options.student(), e);
        }
        ModelProto student;
        double lastLoss;
        try (DjlNetwork net = DjlNetwork.create(arch, train.exampleShape(), options.seed())) {
            lastLoss = fit(net, soft);
            student = OnnxExporter.build(net);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("student", options.student());
        details.put("temperature", options.temperature());
        details.put("alpha", options.alpha());
        details.put("epochs", options.epochs());
        details.put("schedule", options.schedule().name().toLowerCase(java.util.Locale.ROOT));
        details.put("trainData", train.name() + " (" + train.count() + " examples)");
        details.put("finalLoss", lastLoss);
        return new Compressed(student, List.of(), details);
    }

    private double fit(DjlNetwork net, float[] soft) {
        int classes = train.numClasses();
        int per = train.exampleSize();
        DefaultTrainingConfig config = new DefaultTrainingConfig(
                        new DistillationLoss(options.temperature(), options.alpha()))
                .optOptimizer(Optimizers.build(
                        options.asTraining(), (train.count() + options.batchSize() - 1) / options.batchSize(), 0))
                .optDevices(new Device[] {Device.cpu()});
        double last = Double.NaN;
        try (Trainer trainer = net.model().newTrainer(config)) {
            trainer.initialize(batchShape(net, 1));
            int[] order = new int[train.count()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            for (int epoch = 0; epoch < options.epochs(); epoch++) {
                shuffle(order, new SplittableRandom(options.seed() * 31 + epoch));
                double sum = 0;
                for (int from = 0; from < order.length; from += options.batchSize()) {
                    int n = Math.min(options.batchSize(), order.length - from);
                    float[] x = new float[n * per];
                    float[] q = new float[n * classes];
                    int[] y = new int[n];
                    for (int i = 0; i < n; i++) {
                        int e = order[from + i];
                        System.arraycopy(train.features(), e * per, x, i * per, per);
                        System.arraycopy(soft, e * classes, q, i * classes, classes);
                        y[i] = train.labels()[e];
                    }
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        NDArray xs = scope.create(x, batchShape(net, n));
                        NDList labels = new NDList(scope.create(y), scope.create(q, new Shape(n, classes)));
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray loss = trainer.getLoss().evaluate(labels, trainer.forward(new NDList(xs)));
                            gc.backward(loss);
                            sum += loss.getFloat() * n;
                        }
                        trainer.step();
                    }
                }
                last = sum / order.length;
            }
        }
        return last;
    }

    private static Shape batchShape(DjlNetwork net, int n) {
        long[] dims = new long[net.exampleShape().rank() + 1];
        dims[0] = n;
        for (int i = 0; i < net.exampleShape().rank(); i++) {
            dims[i + 1] = net.exampleShape().dim(i);
        }
        return new Shape(dims);
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
