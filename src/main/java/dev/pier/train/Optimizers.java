package dev.pier.train;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/** Builds the DJL optimizer and learning-rate schedule that {@link TrainOptions} describe. Stateless. */
public final class Optimizers {
    private Optimizers() {}

    /**
     * @param stepsPerEpoch updates per epoch, to turn the update count into an epoch for the schedule
     * @param startEpoch    0-based epoch the run starts at (non-zero after a resume), so the schedule continues
     */
    public static Optimizer build(TrainOptions o, int stepsPerEpoch, int startEpoch) {
        Tracker lr = schedule(o, stepsPerEpoch);
        int begin = startEpoch * stepsPerEpoch;
        return switch (o.optimizer()) {
            // epsilon 1e-7 as Keras' Adam (DJL's default is 1e-8), so the reference example trains as its source does
            case ADAM ->
                Optimizer.adam()
                        .optLearningRateTracker(lr)
                        .optWeightDecays(o.weightDecay())
                        .optEpsilon(1e-7f)
                        .optBeginNumUpdate(begin)
                        .build();
            case SGD ->
                o.nesterov()
                        ? Optimizer.nag()
                                .setLearningRateTracker(lr)
                                .setMomentum(o.momentum())
                                .optWeightDecays(o.weightDecay())
                                .optBeginNumUpdate(begin)
                                .build()
                        : Optimizer.sgd()
                                .setLearningRateTracker(lr)
                                .optMomentum(o.momentum())
                                .optWeightDecays(o.weightDecay())
                                .optBeginNumUpdate(begin)
                                .build();
        };
    }

    static Tracker schedule(TrainOptions o, int stepsPerEpoch) {
        float base = o.learningRate();
        return update -> rate(o, base, Math.max(0, update - 1) / (double) stepsPerEpoch);
    }

    /** The learning rate at a (fractional) epoch position, 0-based. */
    static float rate(TrainOptions o, float base, double epochPosition) {
        return switch (o.schedule()) {
            case CONSTANT -> base;
            case STEP ->
                (float) (base * Math.pow(o.stepGamma(), Math.floor(Math.floor(epochPosition) / o.stepEpochs())));
            case COSINE -> (float) (base * 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, epochPosition / o.epochs()))));
        };
    }

    static String describe(TrainOptions o) {
        String name = switch (o.optimizer()) {
            case ADAM -> "adam";
            case SGD ->
                o.nesterov() ? "sgd(nesterov, momentum " + o.momentum() + ")" : "sgd(momentum " + o.momentum() + ")";
        };
        return name + " lr " + o.learningRate() + " " + o.schedule().name().toLowerCase()
                + (o.weightDecay() > 0 ? " weight decay " + o.weightDecay() : "");
    }
}
