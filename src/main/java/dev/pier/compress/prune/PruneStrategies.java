package dev.pier.compress.prune;

import dev.pier.compress.CompressionStrategy;
import dev.pier.data.LabeledData;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Which pruning strategy a set of options asks for: magnitude or structured, one-shot, with masked retraining,
 * or iterative (prune, retrain, repeat). The command line only parses; this decides. Stateless.
 */
public final class PruneStrategies {
    /** The seed of retraining's shuffles. */
    public static final long SEED = 42;

    private PruneStrategies() {}

    /**
     * Checks the combination before any data is loaded, so a bad one fails at once.
     *
     * @param schedule       null for one-shot pruning
     * @param retrainEpochs  retraining epochs (per step when iterative)
     */
    public static void check(PruneOptions options, PruneSchedule schedule, int retrainEpochs) {
        if (schedule != null) {
            IterativePruning.check(options, retrainEpochs);
        }
    }

    /**
     * @param retrainData loaded only when retraining happens (it is MNIST-sized)
     * @param progress    one line per iterative cycle
     */
    public static CompressionStrategy of(
            PruneOptions options,
            PruneSchedule schedule,
            int retrainEpochs,
            float retrainLr,
            Supplier<LabeledData> retrainData,
            Consumer<String> progress) {
        check(options, schedule, retrainEpochs);
        if (schedule != null) {
            return new IterativePruning(options, schedule, retrainData.get(), retrainEpochs, retrainLr, SEED, progress);
        }
        CompressionStrategy pruner = options.method() == PruneOptions.Method.MAGNITUDE
                ? new MagnitudePruner(options)
                : new StructuredPruner(options);
        return retrainEpochs <= 0
                ? pruner
                : new MaskedRetraining(pruner, retrainData.get(), retrainEpochs, retrainLr, SEED);
    }
}
