package dev.pier.compress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pier.api.InvalidInputException;
import dev.pier.compress.report.CompressionHtml;
import dev.pier.data.LabeledData;
import dev.pier.evaluate.EvaluateOptions;
import dev.pier.evaluate.EvaluationReport;
import dev.pier.evaluate.Evaluator;
import dev.pier.onnx.OnnxModel;
import dev.pier.onnx.OnnxModelFiles;
import dev.pier.onnx.OnnxModelReader;
import dev.pier.onnx.SparseStorage;
import dev.pier.onnx.proto.ModelProto;
import dev.pier.runtime.InferenceEngine;
import dev.pier.runtime.ModelSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Runs one compression end to end: reads the input model (never modified), applies the strategy, checks that
 * ONNX Runtime loads the result, writes it atomically, then measures both models on the evaluation data and
 * writes the before/after report as JSON and HTML (atomically). If the strategy or the load check fails, nothing is
 * written. Thread-safe; the engine is borrowed.
 */
public final class CompressionService {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final InferenceEngine engine;

    public CompressionService(InferenceEngine engine) {
        this.engine = engine;
    }

    /**
     * @param input      the model to compress
     * @param output     where the compressed model goes; must differ from {@code input}
     * @param evaluation labelled data for the before/after figures
     * @param evaluate   evaluation settings (latency runs, batch size)
     * @param json       where the JSON report goes; empty means {@code <output>.compress.json}
     * @param html       where the HTML report goes; empty means {@code <output>.compress.html}
     * @param sparse     store mostly-zero weights as sparse initializers with these indices; empty: all dense
     */
    public record Request(
            Path input,
            Path output,
            LabeledData evaluation,
            EvaluateOptions evaluate,
            Optional<Path> json,
            Optional<Path> html,
            Optional<SparseStorage.IndexType> sparse) {
        public Request {
            if (input == null
                    || output == null
                    || evaluation == null
                    || evaluate == null
                    || json == null
                    || html == null
                    || sparse == null) {
                throw new IllegalArgumentException(
                        "input, output, evaluation data, options, json, html and sparse are required");
            }
        }

        /** Dense storage. */
        public Request(
                Path input,
                Path output,
                LabeledData evaluation,
                EvaluateOptions evaluate,
                Optional<Path> json,
                Optional<Path> html) {
            this(input, output, evaluation, evaluate, json, html, Optional.empty());
        }

        /** Reports next to the output unless {@code json} names the JSON file. */
        public Request(Path input, Path output, LabeledData evaluation, EvaluateOptions evaluate, Optional<Path> json) {
            this(input, output, evaluation, evaluate, json, Optional.empty());
        }

        public Path reportFile() {
            return json.orElseGet(() -> output.resolveSibling(output.getFileName() + ".compress.json"));
        }

        public Path htmlFile() {
            return html.orElseGet(() -> output.resolveSibling(output.getFileName() + ".compress.html"));
        }
    }

    public CompressionReport run(Request request, CompressionStrategy strategy) {
        Path in = request.input();
        if (!Files.isRegularFile(in)) {
            throw new InvalidInputException("model file " + in + " does not exist or is not a regular file");
        }
        if (sameFile(in, request.output())) {
            throw new IllegalArgumentException("--output " + request.output() + " is the input model; Pier never"
                    + " overwrites an input model, choose another output path");
        }
        OnnxModel model = OnnxModelReader.read(in);
        Compressed result = strategy.apply(model);
        ModelProto stored = request.sparse()
                .map(indices -> SparseStorage.sparsify(result.model(), indices))
                .orElse(result.model());
        checkLoads(stored);
        OnnxModelFiles.save(stored, request.output());
        ModelFigures before = measure(in, request);
        ModelFigures after = measure(request.output(), request);
        CompressionReport report = new CompressionReport(
                strategy.name(),
                in.toString(),
                request.output().toString(),
                request.evaluation().name(),
                request.evaluation().count(),
                before,
                after,
                result.layers(),
                result.details());
        try {
            OnnxModelFiles.writeAtomically(JSON.writeValueAsBytes(report), request.reportFile());
            new CompressionHtml().write(report, request.evaluate().batchSize(), request.htmlFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the compression report: " + e.getMessage(), e);
        }
        return report;
    }

    /** The figures of one model file. */
    public ModelFigures measure(Path model, Request request) {
        EvaluationReport r = new Evaluator(engine).evaluate(model, request.evaluation(), request.evaluate());
        long nonZero = OnnxModelReader.read(model).summary().nonZeroParameterCount();
        return new ModelFigures(
                r.sizeBytes(),
                r.parameters(),
                nonZero,
                r.accuracy(),
                r.classification().f1Macro(),
                r.latency().p50Ms(),
                r.latency().p99Ms(),
                r.throughput());
    }

    /** Loads the compressed model in ONNX Runtime from a temporary file, so a model it rejects is never written. */
    private void checkLoads(ModelProto model) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("pier-compressed", ".onnx");
            OnnxModelFiles.save(model, tmp);
            try (ModelSession ignored = engine.load(tmp, dev.pier.runtime.SessionOptions.defaults())) {
                // loading is the check: ONNX Runtime validates types and shapes of the whole graph
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a temporary file: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // harmless leftover
                }
            }
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(b)
                    ? Files.isSameFile(a, b)
                    : a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        } catch (IOException e) {
            return false;
        }
    }
}
