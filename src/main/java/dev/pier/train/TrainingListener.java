package dev.pier.train;

/**
 * Hears about training progress; every method defaults to nothing. Called on the training thread, so
 * keep it quick.
 */
public interface TrainingListener {
    TrainingListener NONE = new TrainingListener() {};

    default void onEpochStart(int epoch, int totalEpochs, int batches) {}

    /** After each update, with the running means of the epoch so far. */
    default void onBatch(int epoch, int batch, double runningLoss, double runningAccuracy) {}

    default void onEpochEnd(EpochStats stats) {}
}
