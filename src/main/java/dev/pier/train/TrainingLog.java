package dev.pier.train;

import java.util.List;

/**
 * The training log written as JSON next to the model. Immutable.
 *
 * @param architecture       the architecture spec
 * @param dataset            the dataset name
 * @param optimizer          optimizer and its settings, as text
 * @param batchSize          examples per update
 * @param seed               the seed
 * @param trainExamples      examples trained on
 * @param validationExamples examples held out
 * @param epochs             per-epoch figures, in order (including epochs before a resume)
 * @param bestEpoch          the epoch whose weights were exported
 * @param stoppedEarly       whether early stopping ended the run
 */
public record TrainingLog(
        String architecture,
        String dataset,
        String optimizer,
        int batchSize,
        long seed,
        int trainExamples,
        int validationExamples,
        List<EpochStats> epochs,
        int bestEpoch,
        boolean stoppedEarly) {
    public TrainingLog {
        epochs = List.copyOf(epochs);
    }

    /** The figures of the exported (best or last) epoch. */
    public EpochStats exported() {
        return epochs.stream().filter(e -> e.epoch() == bestEpoch).findFirst().orElse(epochs.getLast());
    }
}
