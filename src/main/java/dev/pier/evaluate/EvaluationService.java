package dev.pier.evaluate;

import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import dev.pier.data.Datasets;
import dev.pier.data.LabeledData;
import dev.pier.evaluate.report.HtmlReportWriter;
import dev.pier.evaluate.report.JsonReportWriter;
import dev.pier.profile.Profiles;
import dev.pier.runtime.InferenceEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code pier evaluate} use case end to end: resolve the dataset spec, evaluate, write the JSON and
 * HTML reports. Thread-safe; the engine is borrowed, not owned.
 */
public final class EvaluationService {

    private final InferenceEngine engine;
    private final Path dataDir;

    /** @param dataDir where datasets are cached (MNIST: {@code MnistFetcher.defaultDir()}) */
    public EvaluationService(InferenceEngine engine, Path dataDir) {
        this.engine = engine;
        this.dataDir = dataDir;
    }

    /**
     * What to evaluate and where to write it.
     *
     * @param model   the ONNX model file (never written)
     * @param dataset a dataset spec such as {@code mnist:test} or {@code mnist:test:500}
     * @param options evaluation options
     * @param json    where to write the JSON figures, if anywhere
     * @param html    where to write the HTML report, if anywhere
     * @param profile where to write the model's reference profile for drift detection, if anywhere (the
     *                convention is {@link Profiles#defaultPath}: {@code <stem>.profile.json} beside the model)
     */
    public record Request(
            Path model,
            String dataset,
            EvaluateOptions options,
            Optional<Path> json,
            Optional<Path> html,
            Optional<Path> profile) {

        /** Without a profile. */
        public Request(Path model, String dataset, EvaluateOptions options, Optional<Path> json, Optional<Path> html) {
            this(model, dataset, options, json, html, Optional.empty());
        }
    }

    public EvaluationReport run(Request request) {
        for (Optional<Path> out : java.util.List.of(request.json(), request.html(), request.profile())) {
            out.ifPresent(p -> refuseToOverwrite(request.model(), p));
        }
        LabeledData data = load(request.dataset());
        Evaluator evaluator = new Evaluator(engine);
        EvaluationReport report;
        if (request.profile().isPresent()) {
            Evaluator.Profiled profiled = evaluator.evaluateAndProfile(request.model(), data, request.options());
            report = profiled.report();
            Profiles.write(profiled.profile(), request.profile().get());
        } else {
            report = evaluator.evaluate(request.model(), data, request.options());
        }
        request.json().ifPresent(p -> new JsonReportWriter().write(report, p));
        request.html().ifPresent(p -> new HtmlReportWriter().write(report, p));
        return report;
    }

    /** Loads a dataset spec through {@link Datasets}: MNIST, CSV files and image folders. */
    public LabeledData load(String spec) {
        try {
            return Datasets.load(spec, new Datasets.Options(dataDir, Shape.of(784), null, null));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load dataset " + spec + ": " + e.getMessage(), e);
        }
    }

    /** Input files are never overwritten: a report path that is the model itself is a typo to catch. */
    private static void refuseToOverwrite(Path model, Path output) {
        try {
            if (Files.exists(output) && Files.exists(model) && Files.isSameFile(model, output)) {
                throw new InvalidInputException("output " + output + " is the model file itself; choose another path");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
