package dev.pier.train;

/**
 * What one epoch achieved. Validation figures are null when no validation split was held out.
 *
 * @param epoch              1-based epoch number
 * @param trainLoss          mean cross-entropy over the epoch's training batches
 * @param trainAccuracy      fraction of training examples classified right during the epoch
 * @param validationLoss     mean cross-entropy on the validation part after the epoch
 * @param validationAccuracy accuracy on the validation part after the epoch
 * @param learningRate       the rate at the epoch's first update
 * @param seconds            wall time of the epoch (training and validation)
 */
public record EpochStats(
        int epoch,
        double trainLoss,
        double trainAccuracy,
        Double validationLoss,
        Double validationAccuracy,
        double learningRate,
        double seconds) {}
