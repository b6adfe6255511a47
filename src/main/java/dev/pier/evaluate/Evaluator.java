package dev.pier.evaluate;

import dev.pier.api.InvalidInputException;
import dev.pier.data.LabeledData;
import dev.pier.evaluate.metrics.Calibration;
import dev.pier.evaluate.metrics.ClassificationMetrics;
import dev.pier.evaluate.metrics.ConfusionMatrix;
import dev.pier.evaluate.metrics.LogLoss;
import dev.pier.evaluate.metrics.ProbabilityMatrix;
import dev.pier.evaluate.metrics.TopK;
import dev.pier.profile.Profiles;
import dev.pier.profile.ReferenceProfile;
import dev.pier.runtime.InferenceEngine;
import dev.pier.runtime.ModelSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Evaluates an ONNX image classifier on a labelled dataset: one batched pass for quality and throughput,
 * then single-example calls for latency. Works for any classifier with one image input and a score output,
 * not only Pier's own (see {@link InputBinding}, {@link OutputInterpreter}). Thread-safe; the engine is
 * borrowed, not owned, and each call loads and closes its own session.
 */
public final class Evaluator {

    private final InferenceEngine engine;

    public Evaluator(InferenceEngine engine) {
        this.engine = engine;
    }

    public EvaluationReport evaluate(Path model, LabeledData data, EvaluateOptions options) {
        return run(model, data, options, true, false).report();
    }

    /**
     * An evaluation plus the model's reference profile on the same data (for drift detection), built from
     * the same batched pass.
     *
     * @param report  the evaluation
     * @param profile the reference profile (see {@link dev.pier.profile.ReferenceProfile})
     */
    public record Profiled(EvaluationReport report, ReferenceProfile profile) {}

    /** {@link #evaluate} and the reference profile from one batched pass. */
    public Profiled evaluateAndProfile(Path model, LabeledData data, EvaluateOptions options) {
        return run(model, data, options, true, true);
    }

    /** Only the reference profile: one batched pass, no latency probe, no report. */
    public ReferenceProfile profile(Path model, LabeledData data, EvaluateOptions options) {
        return run(model, data, options, false, true).profile();
    }

    private Profiled run(
            Path model, LabeledData data, EvaluateOptions options, boolean withReport, boolean withProfile) {
        if (!Files.isRegularFile(model)) {
            throw new InvalidInputException("model file " + model + " does not exist or is not a regular file");
        }
        if (data.count() == 0) {
            throw new IllegalArgumentException("dataset " + data.name() + " is empty; nothing to evaluate");
        }
        ImageGeometry geometry = ImageGeometry.of(data.exampleShape(), data.name());
        float scale = PixelScale.of(data, geometry);
        try (ModelSession session = engine.load(model, options.session())) {
            InputBinding input =
                    InputBinding.resolve(session.signature(), geometry, options.inputLayout(), data.name());
            String output = OutputSelection.choose(session.signature());
            BatchedPass pass = BatchedPass.run(
                    session, input, output, data, scale, options.batchSize(), withReport && options.warmupRuns() > 0);
            if (pass.numClasses() < data.numClasses()) {
                throw new InvalidInputException("model output '" + output + "' scores " + pass.numClasses()
                        + " classes but dataset " + data.name() + " has " + data.numClasses() + " classes");
            }
            ReferenceProfile profile = withProfile
                    ? ProfilePass.build(
                                    model.toString(),
                                    session.signature(),
                                    input,
                                    data,
                                    scale,
                                    pass.scores(),
                                    pass.numClasses())
                            .withModelSha256(Profiles.sha256(model))
                    : null;
            if (!withReport) {
                return new Profiled(null, profile);
            }
            LatencyFigures latency = LatencyProbe.measure(
                    session, input, output, data, scale, options.warmupRuns(), options.latencyRuns());
            return new Profiled(report(model, data, options, geometry, scale, input, pass, latency), profile);
        }
    }

    private static EvaluationReport report(
            Path model,
            LabeledData data,
            EvaluateOptions options,
            ImageGeometry geometry,
            float scale,
            InputBinding input,
            BatchedPass pass,
            LatencyFigures latency) {
        long sizeBytes = size(model);
        long parameters = ModelFacts.parameterCount(model);
        OutputInterpreter.Interpreted scores =
                OutputInterpreter.interpret(pass.scores(), data.count(), pass.numClasses(), options.outputKind());
        ProbabilityMatrix probs = scores.probabilities();
        int[] labels = data.labels();
        int[] predicted = probs.predictions();
        double[] confidence = probs.confidences();
        boolean[] correct = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            correct[i] = predicted[i] == labels[i];
        }
        ConfusionMatrix confusion = ConfusionMatrix.of(labels, predicted, pass.numClasses());
        return new EvaluationReport(
                model.toString(),
                data.name(),
                data.count(),
                pass.numClasses(),
                scores.kind(),
                input.layout(),
                ClassificationMetrics.of(confusion),
                confusion,
                options.topK(),
                TopK.accuracy(probs, labels, options.topK()),
                LogLoss.of(probs, labels),
                Calibration.of(confidence, correct, Calibration.DEFAULT_BINS),
                latency,
                pass.throughput(data.count()),
                pass.batchSize(),
                parameters,
                sizeBytes,
                worst(data, geometry, scale, predicted, confidence, correct, options.worstExamples()),
                geometry.isImage() ? "images" : "rows");
    }

    /** The most confident mistakes, most confident first (ties: lower index first). */
    static List<Misclassification> worst(
            LabeledData data,
            ImageGeometry geometry,
            float scale,
            int[] predicted,
            double[] confidence,
            boolean[] correct,
            int limit) {
        if (!geometry.isImage()) {
            return List.of();
        }
        List<Integer> wrong = new ArrayList<>();
        for (int i = 0; i < correct.length; i++) {
            if (!correct[i]) {
                wrong.add(i);
            }
        }
        wrong.sort(Comparator.comparingDouble((Integer i) -> -confidence[i]).thenComparingInt(i -> i));
        List<Misclassification> out = new ArrayList<>();
        int per = data.exampleSize();
        int[] toChw = geometry.gather(InputLayout.NCHW);
        for (int i : wrong.subList(0, Math.min(limit, wrong.size()))) {
            float[] pixels = new float[per];
            for (int p = 0; p < per; p++) {
                pixels[p] = data.features()[i * per + (toChw == null ? p : toChw[p])] * scale;
            }
            out.add(new Misclassification(
                    i,
                    data.labels()[i],
                    predicted[i],
                    confidence[i],
                    pixels,
                    geometry.channels(),
                    geometry.height(),
                    geometry.width()));
        }
        return out;
    }

    private static long size(Path model) {
        try {
            return Files.size(model);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of model file " + model, e);
        }
    }
}
