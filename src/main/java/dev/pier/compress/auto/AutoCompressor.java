package dev.pier.compress.auto;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pier.api.InvalidInputException;
import dev.pier.compress.CompressionReport;
import dev.pier.compress.CompressionService;
import dev.pier.compress.CompressionStrategy;
import dev.pier.compress.ModelFigures;
import dev.pier.compress.prune.MagnitudePruner;
import dev.pier.compress.prune.PruneOptions;
import dev.pier.compress.prune.StructuredPruner;
import dev.pier.compress.quantize.DynamicQuantizer;
import dev.pier.compress.quantize.QuantizeOptions;
import dev.pier.compress.quantize.StaticQuantizer;
import dev.pier.data.LabeledData;
import dev.pier.evaluate.EvaluateOptions;
import dev.pier.io.Trees;
import dev.pier.onnx.OnnxModelFiles;
import dev.pier.onnx.SparseStorage;
import dev.pier.runtime.InferenceEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tries a fixed menu of variants (dynamic and static int8, per tensor and per channel, QDQ and QOperator with
 * entropy calibration; magnitude pruning at
 * 50/70/90%, its weights stored sparse (standard ONNX int64 indices) so that the file shows what pruning saves;
 * structured pruning at 25/50%), measures each on the evaluation data, and copies the best by the
 * objective among those within the accuracy budget to the output. A variant the model does not support is
 * listed with its error. When none is within budget, nothing is written and the error lists every candidate.
 * Thread-safe; the engine is borrowed.
 */
public final class AutoCompressor {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final InferenceEngine engine;

    public AutoCompressor(InferenceEngine engine) {
        this.engine = engine;
    }

    public AutoReport run(
            Path input,
            Path output,
            LabeledData evaluation,
            LabeledData calibration,
            EvaluateOptions evaluate,
            AutoOptions options,
            Optional<Path> json) {
        return run(input, output, evaluation, calibration, evaluate, options, json, Optional.empty());
    }

    /**
     * {@code compress auto} with the request every other compression takes ({@link CompressionService.Request}:
     * input, output, evaluation data and settings, report paths); {@code calibration} feeds the static quantizers.
     */
    public AutoReport run(CompressionService.Request request, LabeledData calibration, AutoOptions options) {
        return run(
                request.input(),
                request.output(),
                request.evaluation(),
                calibration,
                request.evaluate(),
                options,
                request.json(),
                request.html());
    }

    /** As above, with the HTML report's path ({@code <output>.compress.html} when empty). */
    public AutoReport run(
            Path input,
            Path output,
            LabeledData evaluation,
            LabeledData calibration,
            EvaluateOptions evaluate,
            AutoOptions options,
            Optional<Path> json,
            Optional<Path> html) {
        Map<String, CompressionStrategy> menu = new LinkedHashMap<>();
        Map<String, SparseStorage.IndexType> sparse = new LinkedHashMap<>();
        menu.put("quantize-dynamic", new DynamicQuantizer(false));
        menu.put("quantize-dynamic per-channel", new DynamicQuantizer(true));
        menu.put("quantize-static minmax", new StaticQuantizer(engine, calibration, QuantizeOptions.defaults()));
        menu.put(
                "quantize-static minmax per-channel",
                new StaticQuantizer(
                        engine,
                        calibration,
                        new QuantizeOptions(QuantizeOptions.Mode.STATIC, QuantizeOptions.Method.MINMAX, 99.99, true)));
        menu.put(
                "quantize-static entropy per-channel qoperator",
                new StaticQuantizer(
                        engine,
                        calibration,
                        new QuantizeOptions(
                                QuantizeOptions.Mode.STATIC,
                                QuantizeOptions.Method.ENTROPY,
                                99.99,
                                true,
                                QuantizeOptions.Format.QOPERATOR)));
        for (double s : new double[] {0.5, 0.7, 0.9}) {
            menu.put("prune-magnitude " + s, new MagnitudePruner(PruneOptions.magnitude(s)));
            sparse.put("prune-magnitude " + s, SparseStorage.IndexType.INT64);
        }
        for (double s : new double[] {0.25, 0.5}) {
            menu.put("prune-structured " + s, new StructuredPruner(PruneOptions.structured(s)));
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("pier-auto");
            CompressionService service = new CompressionService(engine);
            List<Candidate> candidates = new ArrayList<>();
            Map<String, Path> files = new LinkedHashMap<>();
            ModelFigures original = null;
            int i = 0;
            for (Map.Entry<String, CompressionStrategy> e : menu.entrySet()) {
                Path file = dir.resolve("candidate" + i++ + ".onnx");
                try {
                    CompressionReport r = service.run(
                            new CompressionService.Request(
                                    input,
                                    file,
                                    evaluation,
                                    evaluate,
                                    Optional.of(dir.resolve(file.getFileName() + ".json")),
                                    Optional.empty(),
                                    Optional.ofNullable(sparse.get(e.getKey()))),
                            e.getValue());
                    original = original == null ? r.before() : original;
                    boolean ok = r.before().accuracy() - r.after().accuracy() <= options.maxAccuracyDrop() + 1e-12;
                    candidates.add(new Candidate(e.getKey(), r.after(), ok, null));
                    files.put(e.getKey(), file);
                } catch (InvalidInputException ex) {
                    candidates.add(new Candidate(e.getKey(), null, false, ex.getMessage()));
                }
            }
            Comparator<Candidate> by = options.objective() == AutoOptions.Objective.SIZE
                    ? Comparator.comparingLong(c -> c.figures().sizeBytes())
                    : Comparator.comparingDouble(c -> c.figures().p50Ms());
            Optional<Candidate> best =
                    candidates.stream().filter(Candidate::withinBudget).min(by);
            if (best.isEmpty()) {
                throw new InvalidInputException("no compressed variant of " + input
                        + " stays within the accuracy budget of "
                        + options.maxAccuracyDrop() * 100 + " points; tried "
                        + candidates.stream()
                                .map(c -> c.name()
                                        + (c.figures() == null
                                                ? " (" + c.error() + ")"
                                                : String.format(
                                                        java.util.Locale.ROOT,
                                                        " (accuracy %.4f)",
                                                        c.figures().accuracy())))
                                .toList()
                        + "; nothing was written");
            }
            OnnxModelFiles.writeAtomically(
                    Files.readAllBytes(files.get(best.get().name())), output);
            AutoReport report = new AutoReport(
                    input.toString(),
                    output.toString(),
                    options.maxAccuracyDrop(),
                    options.objective().name().toLowerCase(java.util.Locale.ROOT),
                    original,
                    candidates,
                    best.get().name());
            OnnxModelFiles.writeAtomically(
                    JSON.writeValueAsBytes(report),
                    json.orElseGet(() -> output.resolveSibling(output.getFileName() + ".compress.json")));
            new dev.pier.compress.report.CompressionHtml()
                    .write(
                            report,
                            evaluate.batchSize(),
                            html.orElseGet(() -> output.resolveSibling(output.getFileName() + ".compress.html")));
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException("automatic compression failed: " + e.getMessage(), e);
        } finally {
            Trees.deleteQuietly(dir);
        }
    }
}
