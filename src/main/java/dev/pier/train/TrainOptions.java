package dev.pier.train;

import java.nio.file.Path;

/**
 * How to train. Immutable; start from {@link #defaults()} (the reference run: {@code mlp:128}, Adam with
 * learning rate 0.001, batch 32, 10 epochs, 20% validation, seed 42) and change what you need with
 * {@link #toBuilder()}.
 *
 * @param architecture    architecture spec, see {@link Architectures}; default {@code mlp:128}
 * @param optimizer       {@link OptimizerKind#ADAM} (default) or {@link OptimizerKind#SGD}
 * @param learningRate    base learning rate; default 0.001
 * @param momentum        SGD momentum; default 0.9 (ignored by Adam)
 * @param nesterov        SGD with Nesterov momentum; default false
 * @param weightDecay     L2 weight decay added to the gradients; default 0
 * @param schedule        learning-rate schedule over epochs; default {@link Schedule#CONSTANT}
 * @param stepEpochs      for {@link Schedule#STEP}: multiply the rate by {@code stepGamma} every this many epochs; default 3
 * @param stepGamma       for {@link Schedule#STEP}; default 0.1
 * @param batchSize       examples per update; default 32
 * @param epochs          passes over the training part; default 10
 * @param validationSplit fraction held out (after a seeded shuffle) for validation, in [0, 1); default 0.2
 * @param patience        early stopping: stop after this many epochs without a lower validation loss and
 *                        keep the best epoch's weights; 0 (default) disables it
 * @param seed            seeds the engine, the initialisers, the split and the shuffles; default 42
 * @param output          the ONNX model written at the end; default {@code model.onnx}
 * @param logFile         the training log JSON; null (default) means {@code <output stem>.train.json}
 * @param checkpointDir   per-epoch checkpoints; null (default) means {@code <output>.checkpoints}
 * @param resume          continue from the last checkpoint in {@code checkpointDir}; default false
 * @param jitter          augmentation: shift each training image by a random whole number of pixels in
 *                        {@code [-jitter, jitter]} along each axis (zero fill), drawn afresh every epoch
 *                        (Hinton et al. 2015 use 2); needs image examples ({@code [C,H,W]} or a square
 *                        flat vector); 0 (default) disables it
 */
public record TrainOptions(
        String architecture,
        OptimizerKind optimizer,
        float learningRate,
        float momentum,
        boolean nesterov,
        float weightDecay,
        Schedule schedule,
        int stepEpochs,
        float stepGamma,
        int batchSize,
        int epochs,
        double validationSplit,
        int patience,
        long seed,
        Path output,
        Path logFile,
        Path checkpointDir,
        boolean resume,
        int jitter) {

    public enum OptimizerKind {
        ADAM,
        SGD
    }

    public enum Schedule {
        CONSTANT,
        STEP,
        COSINE
    }

    public TrainOptions {
        check(learningRate > 0, "learning rate must be > 0, got " + learningRate);
        check(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        check(weightDecay >= 0, "weight decay must be >= 0, got " + weightDecay);
        check(stepEpochs > 0, "step epochs must be > 0, got " + stepEpochs);
        check(stepGamma > 0, "step gamma must be > 0, got " + stepGamma);
        check(batchSize > 0, "batch size must be > 0, got " + batchSize);
        check(epochs > 0, "epochs must be > 0, got " + epochs);
        check(
                validationSplit >= 0 && validationSplit < 1,
                "validation split must be in [0, 1), got " + validationSplit);
        check(patience >= 0, "patience must be >= 0, got " + patience);
        check(output != null, "an output path is required");
        check(jitter >= 0, "jitter must be >= 0 pixels, got " + jitter);
    }

    public static TrainOptions defaults() {
        return new TrainOptions(
                "mlp:128",
                OptimizerKind.ADAM,
                0.001f,
                0.9f,
                false,
                0f,
                Schedule.CONSTANT,
                3,
                0.1f,
                32,
                10,
                0.2,
                0,
                42L,
                Path.of("model.onnx"),
                null,
                null,
                false,
                0);
    }

    /** The log path, defaulted from the output. */
    public Path effectiveLogFile() {
        return logFile != null ? logFile : output.resolveSibling(stem(output) + ".train.json");
    }

    /** The checkpoint folder, defaulted from the output. */
    public Path effectiveCheckpointDir() {
        return checkpointDir != null ? checkpointDir : output.resolveSibling(output.getFileName() + ".checkpoints");
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".onnx") ? n.substring(0, n.length() - 5) : n;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Mutable builder over a copy of some options; not thread-safe. */
    public static final class Builder {
        private String architecture;
        private OptimizerKind optimizer;
        private float learningRate, momentum, weightDecay, stepGamma;
        private boolean nesterov, resume;
        private Schedule schedule;
        private int stepEpochs, batchSize, epochs, patience, jitter;
        private double validationSplit;
        private long seed;
        private Path output, logFile, checkpointDir;

        private Builder(TrainOptions o) {
            architecture = o.architecture;
            optimizer = o.optimizer;
            learningRate = o.learningRate;
            momentum = o.momentum;
            nesterov = o.nesterov;
            weightDecay = o.weightDecay;
            schedule = o.schedule;
            stepEpochs = o.stepEpochs;
            stepGamma = o.stepGamma;
            batchSize = o.batchSize;
            epochs = o.epochs;
            validationSplit = o.validationSplit;
            patience = o.patience;
            seed = o.seed;
            output = o.output;
            logFile = o.logFile;
            checkpointDir = o.checkpointDir;
            resume = o.resume;
            jitter = o.jitter;
        }

        public Builder architecture(String v) {
            architecture = v;
            return this;
        }

        public Builder optimizer(OptimizerKind v) {
            optimizer = v;
            return this;
        }

        public Builder learningRate(float v) {
            learningRate = v;
            return this;
        }

        public Builder momentum(float v) {
            momentum = v;
            return this;
        }

        public Builder nesterov(boolean v) {
            nesterov = v;
            return this;
        }

        public Builder weightDecay(float v) {
            weightDecay = v;
            return this;
        }

        public Builder schedule(Schedule v) {
            schedule = v;
            return this;
        }

        public Builder stepEpochs(int v) {
            stepEpochs = v;
            return this;
        }

        public Builder stepGamma(float v) {
            stepGamma = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder validationSplit(double v) {
            validationSplit = v;
            return this;
        }

        public Builder patience(int v) {
            patience = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder output(Path v) {
            output = v;
            return this;
        }

        public Builder logFile(Path v) {
            logFile = v;
            return this;
        }

        public Builder checkpointDir(Path v) {
            checkpointDir = v;
            return this;
        }

        public Builder resume(boolean v) {
            resume = v;
            return this;
        }

        public Builder jitter(int v) {
            jitter = v;
            return this;
        }

        public TrainOptions build() {
            return new TrainOptions(
                    architecture,
                    optimizer,
                    learningRate,
                    momentum,
                    nesterov,
                    weightDecay,
                    schedule,
                    stepEpochs,
                    stepGamma,
                    batchSize,
                    epochs,
                    validationSplit,
                    patience,
                    seed,
                    output,
                    logFile,
                    checkpointDir,
                    resume,
                    jitter);
        }
    }
}
