package dev.pier.compress.prune;

import dev.pier.compress.Compressed;
import dev.pier.compress.CompressionStrategy;
import dev.pier.data.LabeledData;
import dev.pier.io.Trees;
import dev.pier.onnx.OnnxModel;
import dev.pier.onnx.OnnxModelFiles;
import dev.pier.onnx.OnnxModelReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Iterative magnitude pruning (Han et al. 2015): {@code steps} cycles of prune → retrain with the masks fixed,
 * the sparsity of every layer rising along a {@link PruneSchedule} to its target. Each cycle prunes the
 * smallest-magnitude weights of the previous cycle's retrained model; weights already pruned are zero, hence
 * the smallest, so masks only grow and a pruned weight never comes back. Each cycle retrains
 * {@code epochsPerStep} epochs with {@link MaskedRetraining}. Needs a model {@link dev.pier.train.OnnxImporter}
 * can read (MLPs and LeNet-style CNNs). Immutable; each call owns the native memory and temporary files it uses.
 */
public final class IterativePruning implements CompressionStrategy {
    private final PruneOptions target;
    private final PruneSchedule schedule;
    private final LabeledData train;
    private final int epochsPerStep;
    private final float learningRate;
    private final long seed;
    private final Consumer<String> progress;

    /**
     * @param target        final sparsity per layer (magnitude by sparsity; a quality factor has no schedule)
     * @param learningRate  retraining rate, a tenth of the original training's (1e-4 after Adam at 1e-3)
     * @param progress      receives one line per finished cycle (for a CLI); may be a no-op
     */
    public IterativePruning(
            PruneOptions target,
            PruneSchedule schedule,
            LabeledData train,
            int epochsPerStep,
            float learningRate,
            long seed,
            Consumer<String> progress) {
        check(target, epochsPerStep);
        this.target = target;
        this.schedule = schedule;
        this.train = train;
        this.epochsPerStep = epochsPerStep;
        this.learningRate = learningRate;
        this.seed = seed;
        this.progress = progress;
    }

    /** What the iterative schedule needs, checked before any data is loaded so a bad combination fails at once. */
    static void check(PruneOptions target, int epochsPerStep) {
        if (target.method() != PruneOptions.Method.MAGNITUDE || target.quality() != null) {
            throw new IllegalArgumentException("the iterative schedule raises a target sparsity step by step: it needs "
                    + "--method magnitude with --sparsity, not "
                    + (target.quality() != null ? "--quality" : "--method structured"));
        }
        if (epochsPerStep < 1) {
            throw new IllegalArgumentException(
                    "iterative pruning retrains after every step: --retrain-epochs must be >= 1, got " + epochsPerStep);
        }
    }

    @Override
    public String name() {
        return "prune-magnitude-iterative";
    }

    @Override
    public Compressed apply(OnnxModel model) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("pier-iterative");
            OnnxModel current = model;
            Compressed last = null;
            List<Map<String, Object>> steps = new ArrayList<>();
            for (int step = 1; step <= schedule.steps(); step++) {
                long t0 = System.nanoTime();
                PruneOptions stepOptions = target.scaled(schedule.fraction(step));
                last = new MaskedRetraining(
                                new MagnitudePruner(stepOptions), train, epochsPerStep, learningRate, seed + step)
                        .apply(current);
                Path file = OnnxModelFiles.save(last.model(), dir.resolve("step" + step + ".onnx"));
                current = OnnxModelReader.read(file);
                long weights = last.layers().stream()
                        .mapToLong(c -> c.shapeBefore().stream().reduce(1L, Math::multiplyExact))
                        .sum();
                long nonZero = last.layers().stream()
                        .mapToLong(Compressed.LayerChange::nonZero)
                        .sum();
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("step", step);
                s.put("targetSparsity", stepOptions.sparsity());
                s.put(
                        "layerSparsity",
                        last.layers().stream()
                                .map(Compressed.LayerChange::sparsity)
                                .toList());
                s.put("nonZeroWeights", nonZero);
                s.put("retrainFinalLoss", last.details().get("retrainFinalLoss"));
                s.put("retrainFinalAccuracy", last.details().get("retrainFinalAccuracy"));
                s.put("seconds", (System.nanoTime() - t0) / 1e9);
                steps.add(s);
                progress.accept(String.format(
                        java.util.Locale.ROOT,
                        "step %d/%d: sparsity %.4f (%,d of %,d weights left), retraining loss %.4f accuracy %.4f, %.0f s",
                        step,
                        schedule.steps(),
                        1 - nonZero / (double) weights,
                        nonZero,
                        weights,
                        (Double) last.details().get("retrainFinalLoss"),
                        (Double) last.details().get("retrainFinalAccuracy"),
                        (System.nanoTime() - t0) / 1e9));
            }
            List<Compressed.LayerChange> layers = new ArrayList<>();
            for (Compressed.LayerChange c : last.layers()) {
                layers.add(new Compressed.LayerChange(
                        c.layer(),
                        c.weight(),
                        c.shapeBefore(),
                        c.shapeAfter(),
                        c.nonZero(),
                        c.sparsity(),
                        "iterative: " + schedule.steps() + " "
                                + schedule.kind().name().toLowerCase() + " steps, masks fixed"));
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("method", "magnitude");
            details.put("schedule", schedule.kind().name().toLowerCase());
            details.put("steps", schedule.steps());
            details.put("sparsity", target.sparsity());
            if (!target.layerSparsity().isEmpty()) {
                details.put("layerSparsity", target.layerSparsity());
            }
            details.put("retrainEpochsPerStep", epochsPerStep);
            details.put("retrainLearningRate", learningRate);
            details.put("retrainData", train.name() + " (" + train.count() + " examples)");
            details.put("cycles", steps);
            return new Compressed(last.model(), layers, details);
        } catch (IOException e) {
            throw new UncheckedIOException("iterative pruning failed: " + e.getMessage(), e);
        } finally {
            Trees.deleteQuietly(dir);
        }
    }
}
