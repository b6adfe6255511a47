package dev.pier.quickstart;

import dev.pier.api.Shape;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import dev.pier.data.MnistFetcher;
import dev.pier.evaluate.EvaluateOptions;
import dev.pier.evaluate.EvaluationReport;
import dev.pier.evaluate.Evaluator;
import dev.pier.evaluate.report.HtmlReportWriter;
import dev.pier.evaluate.report.JsonReportWriter;
import dev.pier.io.Trees;
import dev.pier.runtime.onnx.OrtEngine;
import dev.pier.train.ProgressBarListener;
import dev.pier.train.TrainOptions;
import dev.pier.train.TrainingResult;
import dev.pier.train.TrainingService;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The reference pipeline up to a servable repository: get MNIST, train the reference MLP, evaluate it on the
 * 10,000 test images, and write {@code repository/mnist/<next version>/} (model, training log, evaluation
 * JSON and HTML) plus the model's {@code config.yaml} and labels. An existing version is never overwritten:
 * each run adds the next version number, which the server then serves as the latest.
 */
public final class Quickstart {
    private final PrintStream out;

    public Quickstart(PrintStream out) {
        this.out = out;
    }

    public QuickstartResult prepare(QuickstartOptions options) throws IOException {
        Path dataDir = MnistFetcher.ensure(options.dataDir());
        LabeledData train = Mnist.load(
                Mnist.Split.TRAIN, options.trainLimit() == 0 ? -1 : options.trainLimit(), dataDir, Shape.of(784));
        LabeledData test = Mnist.load(Mnist.Split.TEST, -1, dataDir, Shape.of(784));
        out.printf(
                "pier: MNIST from %s: %d training images (%d%% held out for validation), %d test images%n",
                dataDir, train.count(), 20, test.count());

        Path modelDir = options.repository().resolve(QuickstartOptions.MODEL);
        long version = nextVersion(modelDir);
        Path versionDir = modelDir.resolve(Long.toString(version));
        Files.createDirectories(versionDir);
        Path work = Files.createTempDirectory("pier-quickstart");
        TrainOptions trainOptions = TrainOptions.defaults().toBuilder()
                .epochs(options.epochs())
                .seed(options.seed())
                .output(versionDir.resolve("model.onnx"))
                .logFile(versionDir.resolve("train.json"))
                .checkpointDir(work.resolve("checkpoints"))
                .build();
        out.printf(
                "pier: training %s with Adam lr %s, batch %d, %d epochs -> %s%n",
                trainOptions.architecture(),
                trainOptions.learningRate(),
                trainOptions.batchSize(),
                trainOptions.epochs(),
                trainOptions.output());
        TrainingResult trained =
                new TrainingService().train(train, trainOptions, new ProgressBarListener(out, options.progress()));
        Trees.delete(work);

        EvaluationReport report;
        try (OrtEngine engine = new OrtEngine()) {
            report = new Evaluator(engine).evaluate(trained.model(), test, EvaluateOptions.defaults());
        }
        Path json = versionDir.resolve("evaluation.json");
        Path html = versionDir.resolve("evaluation.html");
        new JsonReportWriter().write(report, json);
        new HtmlReportWriter().write(report, html);
        out.printf(
                "pier: test accuracy %.4f, macro F1 %.4f, log loss %.4f on %d images; report %s%n",
                report.accuracy(), report.classification().f1Macro(), report.logLoss(), report.count(), html);

        ModelFiles.writeConfigIfAbsent(modelDir);
        Path png = ImageGraphFiles.write(options.repository(), dataDir);
        out.printf(
                "pier: also publishing %s (PNG bytes -> digit and probability; an ensemble of %s), test image %s%n",
                ImageGraphFiles.ENSEMBLE, QuickstartOptions.MODEL, png);
        return new QuickstartResult(version, trained.model(), trained, report, json, html);
    }

    static long nextVersion(Path modelDir) throws IOException {
        if (!Files.isDirectory(modelDir)) {
            return 1;
        }
        try (Stream<Path> children = Files.list(modelDir)) {
            return children.map(p -> p.getFileName().toString())
                            .filter(n -> n.matches("[1-9][0-9]{0,17}"))
                            .mapToLong(Long::parseLong)
                            .max()
                            .orElse(0)
                    + 1;
        }
    }
}
