package dev.pier.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.pier.data.LabeledData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The epoch loop: seeded shuffles, updates with softmax cross-entropy, validation after each epoch,
 * early stopping, a checkpoint after each epoch, resume from one. Leaves the network holding the weights
 * to export (the best epoch's under early stopping, else the last). Single-use; not thread-safe.
 */
final class TrainingLoop {
    private static final int EVAL_BATCH = 1000;

    private final DjlNetwork net;
    private final LabeledData data;
    private final TrainOptions options;
    private final TrainingListener listener;

    TrainingLoop(DjlNetwork net, LabeledData data, TrainOptions options, TrainingListener listener) {
        this.net = net;
        this.data = data;
        this.options = options;
        this.listener = listener;
    }

    TrainingLog run() throws IOException {
        DataSplit split = DataSplit.of(data, options.validationSplit(), options.seed());
        int steps = (split.train().length + options.batchSize() - 1) / options.batchSize();
        Checkpoints checkpoints = new Checkpoints(options.effectiveCheckpointDir());

        List<EpochStats> epochs = new ArrayList<>();
        int start = 0;
        int bestEpoch = 0;
        double bestLoss = Double.POSITIVE_INFINITY;
        int sinceBest = 0;
        boolean stopped = false;
        byte[] best = null;
        if (options.resume()) {
            Checkpoints.State state = checkpoints.load();
            if (state == null) {
                throw new IllegalArgumentException("cannot resume: no checkpoint in " + checkpoints.dir());
            }
            if (!state.architecture().equals(net.architecture().name())) {
                throw new IllegalArgumentException("cannot resume: checkpoint in " + checkpoints.dir()
                        + " is for architecture " + state.architecture() + ", not "
                        + net.architecture().name());
            }
            Checkpoints.restore(net, checkpoints.read(Checkpoints.LAST));
            epochs.addAll(state.epochs());
            start = state.completedEpochs();
            bestEpoch = state.bestEpoch();
            bestLoss = state.bestValidationLoss() == null ? Double.POSITIVE_INFINITY : state.bestValidationLoss();
            sinceBest = state.epochsSinceBest();
            stopped = state.stoppedEarly();
            best = checkpoints.read(Checkpoints.BEST);
        }

        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizers.build(options, steps, start))
                .optDevices(new Device[] {Device.cpu()});
        try (Trainer trainer = net.model().newTrainer(config)) {
            trainer.initialize(DjlNetwork.batchShape(net.exampleShape(), 1));
            for (int epoch = start + 1; epoch <= options.epochs() && !stopped; epoch++) {
                EpochStats stats = epoch(trainer, split, epoch, steps);
                epochs.add(stats);
                listener.onEpochEnd(stats);
                boolean improved = stats.validationLoss() == null || stats.validationLoss() < bestLoss;
                if (improved) {
                    bestEpoch = epoch;
                    bestLoss = stats.validationLoss() == null ? bestLoss : stats.validationLoss();
                    sinceBest = 0;
                    best = options.patience() > 0 ? Checkpoints.snapshot(net.block()) : null;
                } else {
                    sinceBest++;
                    stopped = options.patience() > 0 && sinceBest >= options.patience();
                }
                if (options.patience() == 0) {
                    bestEpoch = epoch;
                }
                checkpoints.save(
                        new Checkpoints.State(
                                net.architecture().name(),
                                data.name(),
                                epoch,
                                epochs,
                                bestEpoch,
                                Double.isInfinite(bestLoss) ? null : bestLoss,
                                sinceBest,
                                stopped),
                        Checkpoints.snapshot(net.block()),
                        best);
            }
        }
        if (options.patience() > 0
                && best != null
                && bestEpoch != epochs.getLast().epoch()) {
            Checkpoints.restore(net, best);
        }
        return new TrainingLog(
                net.architecture().name(),
                data.name(),
                Optimizers.describe(options),
                options.batchSize(),
                options.seed(),
                split.train().length,
                split.validation().length,
                epochs,
                bestEpoch,
                stopped);
    }

    private EpochStats epoch(Trainer trainer, DataSplit split, int epoch, int steps) {
        long t0 = System.nanoTime();
        DjlEngines.seed(options.seed() + epoch); // dropout masks depend on (seed, epoch) only, also after a resume
        int[] order = split.shuffled(options.seed(), epoch);
        Jitter jitter = options.jitter() > 0 ? Jitter.forShape(options.jitter(), data.exampleShape()) : null;
        java.util.Random shifts = new java.util.Random(options.seed() * 7_919L + epoch); // same shifts after a resume
        listener.onEpochStart(epoch, options.epochs(), steps);
        double lossSum = 0;
        long correct = 0;
        int seen = 0;
        int classes = data.numClasses();
        for (int b = 0; b < steps; b++) {
            int from = b * options.batchSize();
            int to = Math.min(order.length, from + options.batchSize());
            int n = to - from;
            try (NDManager scope = trainer.getManager().newSubManager()) {
                float[] features = DataSplit.gather(data, order, from, to);
                if (jitter != null) {
                    jitter.apply(features, n, shifts);
                }
                NDArray x = scope.create(features, DjlNetwork.batchShape(net.exampleShape(), n));
                NDArray y = scope.create(labels(order, from, to));
                float[] logits;
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDList pred = trainer.forward(new NDList(x));
                    NDArray loss = trainer.getLoss().evaluate(new NDList(y), pred);
                    gc.backward(loss);
                    lossSum += loss.getFloat() * n;
                    logits = pred.singletonOrThrow().toFloatArray();
                }
                trainer.step();
                correct += countCorrect(logits, order, from, n, classes);
            }
            seen += n;
            listener.onBatch(epoch, b + 1, lossSum / seen, correct / (double) seen);
        }
        Double valLoss = null;
        Double valAcc = null;
        if (split.validation().length > 0) {
            double[] v = evaluate(trainer, split.validation());
            valLoss = v[0];
            valAcc = v[1];
        }
        float lr = Optimizers.rate(options, options.learningRate(), epoch - 1);
        return new EpochStats(
                epoch, lossSum / seen, correct / (double) seen, valLoss, valAcc, lr, (System.nanoTime() - t0) / 1e9);
    }

    /** Mean loss and accuracy over {@code indices}, in inference mode. */
    private double[] evaluate(Trainer trainer, int[] indices) {
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < indices.length; from += EVAL_BATCH) {
            int to = Math.min(indices.length, from + EVAL_BATCH);
            try (NDManager scope = trainer.getManager().newSubManager()) {
                NDArray x = scope.create(
                        DataSplit.gather(data, indices, from, to),
                        DjlNetwork.batchShape(net.exampleShape(), to - from));
                NDList pred = trainer.evaluate(new NDList(x));
                NDArray loss = trainer.getLoss().evaluate(new NDList(scope.create(labels(indices, from, to))), pred);
                lossSum += loss.getFloat() * (to - from);
                correct += countCorrect(
                        pred.singletonOrThrow().toFloatArray(), indices, from, to - from, data.numClasses());
            }
        }
        return new double[] {lossSum / indices.length, correct / (double) indices.length};
    }

    private float[] labels(int[] indices, int from, int to) {
        float[] y = new float[to - from];
        for (int i = from; i < to; i++) {
            y[i - from] = data.labels()[indices[i]];
        }
        return y;
    }

    private long countCorrect(float[] logits, int[] indices, int from, int n, int classes) {
        long correct = 0;
        for (int i = 0; i < n; i++) {
            int arg = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[i * classes + c] > logits[i * classes + arg]) {
                    arg = c;
                }
            }
            if (arg == data.labels()[indices[from + i]]) {
                correct++;
            }
        }
        return correct;
    }
}
