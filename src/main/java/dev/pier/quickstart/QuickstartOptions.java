package dev.pier.quickstart;

import java.nio.file.Path;

/**
 * The reference example's knobs. Defaults are the reference run: all 60,000 training images (20% held out
 * for validation), 10 epochs of Adam (lr 0.001, batch 32) on the 784-128-10 MLP, seed 42.
 *
 * @param repository folder of the model repository to write {@code mnist/<version>/} into
 * @param dataDir    folder holding (or to receive) MNIST's IDX files
 * @param epochs     training epochs
 * @param trainLimit use only the first N training images (0 = all)
 * @param seed       seed of initialisation, split and shuffles
 * @param progress   draw progress bars (off for logs and CI)
 */
public record QuickstartOptions(
        Path repository, Path dataDir, int epochs, int trainLimit, long seed, boolean progress) {
    public static final String MODEL = "mnist";

    public QuickstartOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        }
        if (trainLimit < 0) {
            throw new IllegalArgumentException("--train-limit must be >= 0 (0 = all), got " + trainLimit);
        }
    }
}
