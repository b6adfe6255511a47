package dev.pier.cli;

import dev.pier.data.MnistFetcher;
import dev.pier.evaluate.EvaluateOptions;
import dev.pier.evaluate.EvaluationReport;
import dev.pier.evaluate.EvaluationService;
import dev.pier.evaluate.InputLayout;
import dev.pier.evaluate.LogEvaluation;
import dev.pier.evaluate.OutputKind;
import dev.pier.evaluate.report.HtmlReportWriter;
import dev.pier.evaluate.report.JsonReportWriter;
import dev.pier.monitor.log.LoggedTraffic;
import dev.pier.profile.Profiles;
import dev.pier.runtime.onnx.OrtEngine;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pier evaluate}: parses options, calls {@link EvaluationService}, prints the headline figures. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = "Evaluate an ONNX image classifier on a labelled dataset: accuracy, per-class "
                + "precision/recall/F1, confusion matrix, top-k, log loss, calibration, latency, throughput, size.")
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "ONNX model file.")
    Path model;

    @Option(
            names = "--dataset",
            defaultValue = "mnist:test",
            paramLabel = "SPEC",
            description =
                    "Dataset spec: mnist:test, mnist:train, mnist:test:N (first N), csv:FILE or images:FOLDER. Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the figures as JSON (atomically).")
    Path json;

    @Option(names = "--report", paramLabel = "FILE.html", description = "Write a self-contained HTML report.")
    Path report;

    @Option(
            names = "--profile",
            paramLabel = "FILE",
            description =
                    "Where to write the reference profile for drift detection (default: <model stem>.profile.json beside the model, "
                            + "where pier serve looks for it).")
    Path profile;

    @Option(names = "--no-profile", description = "Do not write a reference profile.")
    boolean noProfile;

    @Option(names = "--top-k", defaultValue = "5", description = "k of top-k accuracy. Default: ${DEFAULT-VALUE}.")
    int topK;

    @Option(
            names = "--batch-size",
            defaultValue = "256",
            description = "Examples per model call (throughput is measured at this size). Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(
            names = "--output-kind",
            defaultValue = "auto",
            paramLabel = "auto|probabilities|logits",
            description = "What the model outputs; auto detects it from the values. Default: ${DEFAULT-VALUE}.")
    OutputKind outputKind;

    @Option(
            names = "--input-layout",
            defaultValue = "auto",
            paramLabel = "auto|flat|nchw|nhwc",
            description = "How images feed the model; auto reads the declared input shape. Default: ${DEFAULT-VALUE}.")
    InputLayout inputLayout;

    @Option(
            names = "--latency-runs",
            defaultValue = "200",
            description = "Timed single-image calls for latency p50/p99. Default: ${DEFAULT-VALUE}.")
    int latencyRuns;

    @Option(
            names = "--from-log",
            paramLabel = "DIR",
            description =
                    "Evaluate on logged production traffic with feedback (a pier serve --prediction-log DIR) instead of --dataset, "
                            + "and show the served version's accuracy on the same rows.")
    Path fromLog;

    @Option(
            names = "--log-model",
            paramLabel = "NAME",
            description = "With --from-log: the served model whose traffic to replay (default: the only one logged).")
    String logModel;

    @Option(
            names = "--log-version",
            paramLabel = "N",
            description = "With --from-log: only traffic served by this version (default: all).")
    Long logVersion;

    @Override
    public Integer call() {
        return evaluate();
    }

    private EvaluateOptions options() {
        EvaluateOptions defaults = EvaluateOptions.defaults();
        return defaults.withTopK(topK)
                .withBatchSize(batchSize)
                .withOutputKind(outputKind)
                .withInputLayout(inputLayout)
                .withLatencyRuns(latencyRuns, defaults.warmupRuns());
    }

    /** {@code --from-log}: the candidate on logged, labelled traffic beside the served version (no profile is written). */
    private Integer evaluateFromLog() {
        try (OrtEngine engine = new OrtEngine()) {
            LogEvaluation.Result result = new LogEvaluation(engine)
                    .run(new LogEvaluation.Request(
                            fromLog,
                            logModel,
                            logVersion == null ? OptionalLong.empty() : OptionalLong.of(logVersion),
                            model,
                            options()));
            LoggedTraffic t = result.traffic();
            System.out.printf(
                    Locale.ROOT,
                    "log %s: %d logged prediction(s), %d feedback, %d joined request(s)%s%n",
                    fromLog,
                    t.predictions(),
                    t.feedback(),
                    t.examples().size(),
                    t.unjoinedFeedback() + t.skippedLines() == 0
                            ? ""
                            : " (" + t.unjoinedFeedback() + " feedback without a logged prediction, " + t.skippedLines()
                                    + " unreadable line(s))");
            print(result.candidate());
            for (LogEvaluation.Served s : result.served()) {
                System.out.printf(
                        Locale.ROOT,
                        "  served version %d: accuracy %.4f on %d of these rows%n",
                        s.version(),
                        s.accuracy(),
                        s.rows());
            }
            LogEvaluation.Served all = result.servedOverall();
            System.out.printf(
                    Locale.ROOT,
                    "  candidate %.4f vs served %.4f (%+.4f) on %d rows%n",
                    result.candidate().accuracy(),
                    all.accuracy(),
                    result.candidate().accuracy() - all.accuracy(),
                    all.rows());
            if (json != null) {
                new JsonReportWriter().write(result.candidate(), json);
            }
            if (report != null) {
                new HtmlReportWriter().write(result.candidate(), report);
            }
        }
        return 0;
    }

    private Integer evaluate() {
        if (fromLog != null) {
            return evaluateFromLog();
        }
        if (logModel != null || logVersion != null) {
            throw new IllegalArgumentException("--log-model and --log-version need --from-log DIR");
        }
        EvaluateOptions options = options();
        if (noProfile && profile != null) {
            throw new IllegalArgumentException("--profile and --no-profile contradict each other; give one");
        }
        Optional<Path> profileFile =
                noProfile ? Optional.empty() : Optional.of(profile != null ? profile : Profiles.defaultPath(model));
        if (profile == null
                && profileFile.isPresent()
                && !java.nio.file.Files.isWritable(profileFile.get().getParent())) {
            // the default is a convenience: a model in a read-only folder is still evaluated
            System.err.println("pier: not writing the reference profile: "
                    + profileFile.get().getParent() + " is not writable; choose a path with --profile FILE");
            profileFile = Optional.empty();
        }
        try (OrtEngine engine = new OrtEngine()) {
            EvaluationReport r = new EvaluationService(engine, MnistFetcher.defaultDir())
                    .run(new EvaluationService.Request(
                            model,
                            dataset,
                            options,
                            Optional.ofNullable(json),
                            Optional.ofNullable(report),
                            profileFile));
            print(r);
            profileFile.ifPresent(p -> System.out.println("  wrote reference profile " + p));
        }
        return 0;
    }

    private void print(EvaluationReport r) {
        System.out.printf(
                Locale.ROOT,
                "%s on %s (%d examples, output read as %s, input %s)%n",
                r.model(),
                r.dataset(),
                r.count(),
                r.outputKind().name().toLowerCase(Locale.ROOT),
                r.inputLayout().name().toLowerCase(Locale.ROOT));
        System.out.printf(
                Locale.ROOT,
                "  accuracy      %.4f%n  macro F1      %.4f   weighted F1 %.4f%n",
                r.accuracy(),
                r.classification().f1Macro(),
                r.classification().f1Weighted());
        if (r.topKInformative()) {
            System.out.printf(Locale.ROOT, "  top-%d         %.4f%n", r.topK(), r.topKAccuracy());
        }
        System.out.printf(Locale.ROOT, "  log loss      %.4f%n  ECE           %.4f%n", r.logLoss(), r.ece());
        System.out.printf(
                Locale.ROOT,
                "  latency       p50 %.3f ms  p99 %.3f ms (batch %d)%n",
                r.latency().p50Ms(),
                r.latency().p99Ms(),
                r.latency().batchSize());
        System.out.printf(
                Locale.ROOT,
                "  throughput    %.0f %s/s (batch %d)%n",
                r.throughput(),
                r.exampleUnit(),
                r.throughputBatch());
        System.out.printf(Locale.ROOT, "  parameters    %,d   size %,d bytes%n", r.parameters(), r.sizeBytes());
        if (json != null) {
            System.out.println("  wrote " + json);
        }
        if (report != null) {
            System.out.println("  wrote " + report);
        }
    }
}
