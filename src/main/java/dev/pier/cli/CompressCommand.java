package dev.pier.cli;

import dev.pier.compress.CompressionReport;
import dev.pier.compress.CompressionService;
import dev.pier.compress.CompressionStrategy;
import dev.pier.compress.ModelData;
import dev.pier.compress.auto.AutoCompressor;
import dev.pier.compress.auto.AutoOptions;
import dev.pier.compress.auto.AutoReport;
import dev.pier.compress.auto.AutoTable;
import dev.pier.compress.distill.DistillOptions;
import dev.pier.compress.distill.Distiller;
import dev.pier.compress.prune.PruneOptions;
import dev.pier.compress.prune.PruneSchedule;
import dev.pier.compress.prune.PruneStrategies;
import dev.pier.compress.quantize.QuantizeOptions;
import dev.pier.compress.quantize.Quantizers;
import dev.pier.data.LabeledData;
import dev.pier.data.MnistFetcher;
import dev.pier.evaluate.EvaluateOptions;
import dev.pier.onnx.OnnxModel;
import dev.pier.onnx.OnnxModelReader;
import dev.pier.onnx.SparseStorage;
import dev.pier.runtime.onnx.OrtEngine;
import dev.pier.train.TrainOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pier compress quantize|prune|distill|auto}: parses options, calls {@link CompressionService}, prints the table. */
@Command(
        name = "compress",
        mixinStandardHelpOptions = true,
        description = "Compress an ONNX model (quantize, prune, distill, auto) and compare it with the original.",
        subcommands = {
            CompressCommand.Quantize.class,
            CompressCommand.Prune.class,
            CompressCommand.Distill.class,
            CompressCommand.Auto.class
        })
final class CompressCommand {

    /** How a compression is evaluated and reported: the before/after table's data, files and latency runs. */
    static final class Reporting {
        @Option(
                names = "--dataset",
                defaultValue = "mnist:test",
                paramLabel = "SPEC",
                description =
                        "Evaluation data for the before/after table (mnist means mnist:test). Default: ${DEFAULT-VALUE}.")
        String dataset;

        @Option(names = "--json", paramLabel = "FILE", description = "Report JSON. Default: <output>.compress.json.")
        Path json;

        @Option(
                names = "--report",
                paramLabel = "FILE.html",
                description = "Report HTML. Default: <output>.compress.html.")
        Path report;

        @Option(
                names = "--latency-runs",
                defaultValue = "200",
                description = "Timed batch-1 calls. Default: ${DEFAULT-VALUE}.")
        int latencyRuns;

        String evaluationSpec() {
            return dataset.equals("mnist") ? "mnist:test" : dataset;
        }
    }

    /** Options every compression of one input model takes. */
    static final class Common {
        @Option(
                names = "--model",
                required = true,
                paramLabel = "FILE",
                description = "ONNX model to compress (never modified).")
        Path model;

        @Option(
                names = "--output",
                required = true,
                paramLabel = "FILE",
                description = "Compressed model (written atomically).")
        Path output;

        @Option(names = "--overwrite", description = "Replace an existing --output (refused otherwise).")
        boolean overwrite;

        @Mixin
        Reporting reporting = new Reporting();

        @Option(
                names = "--sparse-storage",
                arity = "0..1",
                fallbackValue = "int64",
                paramLabel = "int64|int32",
                description =
                        "Store weights that are mostly zeros as ONNX sparse initializers (non-zero values and their"
                                + " indices), so a pruned file really shrinks. int64 (the default when given without a value)"
                                + " is standard ONNX; int32 indices are smaller but only ONNX Runtime reads them.")
        SparseStorage.IndexType sparseStorage;

        int run(BiFunction<OrtEngine, OnnxModel, CompressionStrategy> strategy) {
            OutputFiles.refuseExisting(output, overwrite, "--output");
            return direct(() -> {
                try (OrtEngine engine = new OrtEngine()) {
                    OnnxModel input = OnnxModelReader.read(model);
                    LabeledData eval = ModelData.load(reporting.evaluationSpec(), input, MnistFetcher.defaultDir());
                    EvaluateOptions options = EvaluateOptions.defaults().withLatencyRuns(reporting.latencyRuns, 10);
                    CompressionService.Request request = new CompressionService.Request(
                            model,
                            output,
                            eval,
                            options,
                            Optional.ofNullable(reporting.json),
                            Optional.ofNullable(reporting.report),
                            Optional.ofNullable(sparseStorage));
                    CompressionReport r = new CompressionService(engine).run(request, strategy.apply(engine, input));
                    System.out.printf(
                            Locale.ROOT,
                            "%s: %s -> %s (evaluated on %s, %d examples)%n",
                            r.strategy(),
                            r.input(),
                            r.output(),
                            r.dataset(),
                            r.examples());
                    System.out.print(r.table());
                    System.out.println("wrote " + output + ", " + request.reportFile() + " and " + request.htmlFile());
                    return 0;
                } catch (IOException e) {
                    throw new UncheckedIOException(e.getMessage(), e);
                }
            });
        }
    }

    @Command(
            name = "quantize",
            mixinStandardHelpOptions = true,
            description =
                    "Quantize MatMul/Gemm/Conv to int8 (dynamic: MatMulInteger; static: QDQ or QOperator, calibrated"
                            + " on real data) or convert the model to fp16 (FP32 inputs and outputs kept).")
    static final class Quantize implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(
                names = "--mode",
                defaultValue = "static",
                paramLabel = "dynamic|static|fp16",
                description = "Default: ${DEFAULT-VALUE}.")
        QuantizeOptions.Mode mode;

        @Option(
                names = "--calibration",
                defaultValue = "mnist:train:1000",
                paramLabel = "SPEC",
                description = "Calibration data for static mode. Default: ${DEFAULT-VALUE}.")
        String calibration;

        @Option(
                names = "--method",
                defaultValue = "minmax",
                paramLabel = "minmax|percentile|entropy",
                description =
                        "Activation range calibration; entropy picks the KL-divergence-optimal clipping threshold. Default: ${DEFAULT-VALUE}.")
        QuantizeOptions.Method method;

        @Option(
                names = "--percentile",
                defaultValue = "99.99",
                description = "For --method percentile. Default: ${DEFAULT-VALUE}.")
        double percentile;

        @Option(names = "--per-channel", description = "One weight scale per output channel.")
        boolean perChannel;

        @Option(
                names = "--format",
                defaultValue = "qdq",
                paramLabel = "qdq|qoperator",
                description =
                        "Static graph form: QDQ pairs ONNX Runtime fuses, or explicit QLinearConv/QLinearMatMul. Default: ${DEFAULT-VALUE}.")
        QuantizeOptions.Format format;

        @Override
        public Integer call() {
            QuantizeOptions options = new QuantizeOptions(mode, method, percentile, perChannel, format);
            return common.run((engine, model) ->
                    Quantizers.of(options, engine, () -> strategyData(calibration, model, "calibration")));
        }
    }

    @Command(
            name = "prune",
            mixinStandardHelpOptions = true,
            description =
                    "Prune weights: magnitude (zero the smallest) or structured (remove hidden neurons and conv channels, shrink layers).")
    static final class Prune implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(
                names = "--method",
                defaultValue = "magnitude",
                paramLabel = "magnitude|structured",
                description = "Default: ${DEFAULT-VALUE}.")
        PruneOptions.Method method;

        @Option(
                names = "--sparsity",
                defaultValue = "0.9",
                description =
                        "Fraction of weights (magnitude) or hidden neurons / conv channels (structured) removed per layer. Default: ${DEFAULT-VALUE}.")
        double sparsity;

        @Option(
                names = "--quality",
                description =
                        "Magnitude only: zero |w| < QUALITY x std(W) per layer (Han et al.) instead of --sparsity.")
        Double quality;

        @Option(
                names = "--retrain-epochs",
                defaultValue = "0",
                description =
                        "Retrain this many epochs after pruning, masks fixed (needs a model Pier can import). Default: ${DEFAULT-VALUE}.")
        int retrainEpochs;

        @Option(
                names = "--retrain-data",
                defaultValue = "mnist:train",
                paramLabel = "SPEC",
                description = "Training data for retraining. Default: ${DEFAULT-VALUE}.")
        String retrainData;

        @Option(
                names = "--retrain-lr",
                defaultValue = "1e-4",
                description =
                        "Retraining learning rate (Adam); Han et al. use a tenth of the original rate. Default: ${DEFAULT-VALUE}.")
        float retrainLr;

        @Option(
                names = "--layer-sparsity",
                paramLabel = "POSITION=SPARSITY",
                split = ",",
                description =
                        "Magnitude only: a layer's own sparsity, by 1-based position among MatMul/Gemm/Conv weights,"
                                + " e.g. 3=0.74 (repeatable or comma-separated).")
        java.util.Map<Integer, Double> layerSparsity;

        @Option(
                names = "--schedule",
                defaultValue = "oneshot",
                paramLabel = "oneshot|iterative",
                description =
                        "iterative: --steps cycles of prune -> retrain (--retrain-epochs each), sparsity rising on a"
                                + " cubic schedule (Zhu & Gupta 2017). Default: ${DEFAULT-VALUE}.")
        String schedule;

        @Option(
                names = "--steps",
                defaultValue = "5",
                description = "Cycles of the iterative schedule. Default: ${DEFAULT-VALUE}.")
        int steps;

        @Option(
                names = "--ramp",
                defaultValue = "cubic",
                paramLabel = "cubic|linear",
                description = "How sparsity rises over the iterative steps. Default: ${DEFAULT-VALUE}.")
        PruneSchedule.Kind ramp;

        @Override
        public Integer call() {
            PruneOptions options = new PruneOptions(method, sparsity, quality, layerSparsity);
            boolean iterative = switch (schedule.trim().toLowerCase(Locale.ROOT)) {
                case "oneshot", "one-shot" -> false;
                case "iterative" -> true;
                default ->
                    throw new IllegalArgumentException(
                            "--schedule '" + schedule + "' is not one of [oneshot, iterative]");
            };
            PruneSchedule plan = iterative ? new PruneSchedule(ramp, steps) : null;
            PruneStrategies.check(options, plan, retrainEpochs);
            return common.run((engine, model) -> PruneStrategies.of(
                    options,
                    plan,
                    retrainEpochs,
                    retrainLr,
                    () -> strategyData(retrainData, model, "retraining"),
                    System.err::println));
        }
    }

    @Command(
            name = "distill",
            mixinStandardHelpOptions = true,
            description = "Distil a teacher ONNX model into a smaller student trained with DJL (Hinton et al.).")
    static final class Distill implements Callable<Integer> {
        @Option(
                names = {"--model", "--teacher"},
                required = true,
                paramLabel = "FILE",
                description = "Teacher ONNX model (never modified); --teacher is the old, deprecated name.")
        Path teacher;

        @Option(
                names = "--output",
                required = true,
                paramLabel = "FILE",
                description = "Student ONNX model (written atomically).")
        Path output;

        @Option(names = "--overwrite", description = "Replace an existing --output (refused otherwise).")
        boolean overwrite;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--student",
                required = true,
                paramLabel = "SPEC",
                description = "Student architecture, e.g. mlp:800,800.")
        String student;

        @Option(
                names = "--temperature",
                defaultValue = "20",
                description = "Softmax temperature T. Default: ${DEFAULT-VALUE}.")
        double temperature;

        @Option(
                names = "--alpha",
                defaultValue = "0.9",
                description = "Weight of the soft loss. Default: ${DEFAULT-VALUE}.")
        double alpha;

        @Option(names = "--epochs", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
        int epochs;

        @Option(names = "--batch-size", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
        int batchSize;

        @Option(
                names = "--learning-rate",
                defaultValue = "0.001",
                description = "Adam rate. Default: ${DEFAULT-VALUE}.")
        float learningRate;

        @Option(
                names = "--schedule",
                defaultValue = "constant",
                description =
                        "Learning-rate schedule, as pier train's: constant, step or cosine. Default: ${DEFAULT-VALUE}.")
        TrainOptions.Schedule schedule;

        @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
        long seed;

        @Option(
                names = "--train-data",
                defaultValue = "mnist:train",
                paramLabel = "SPEC",
                description = "Training data for the student (mnist means mnist:train). Default: ${DEFAULT-VALUE}.")
        String trainData;

        @Mixin
        Reporting reporting;

        @Override
        public Integer call() {
            if (spec.commandLine().getParseResult().originalArgs().stream().anyMatch(a -> a.startsWith("--teacher"))) {
                System.err.println(
                        "pier: --teacher is deprecated; compress distill takes the teacher as --model, like every other subcommand");
            }
            DistillOptions options =
                    new DistillOptions(student, temperature, alpha, epochs, batchSize, learningRate, schedule, seed);
            Common common = new Common();
            common.model = teacher;
            common.output = output;
            common.overwrite = overwrite;
            common.reporting = reporting;
            String trainSpec = trainData.equals("mnist") ? "mnist:train" : trainData;
            return common.run((engine, model) -> {
                return new Distiller(engine, strategyData(trainSpec, model, "training"), options);
            });
        }
    }

    @Command(
            name = "auto",
            mixinStandardHelpOptions = true,
            description =
                    "Try quantization and pruning variants; keep the best by the objective within the accuracy budget.")
    static final class Auto implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "FILE", description = "ONNX model (never modified).")
        Path model;

        @Option(
                names = "--output",
                required = true,
                paramLabel = "FILE",
                description = "Best variant (written atomically).")
        Path output;

        @Option(names = "--overwrite", description = "Replace an existing --output (refused otherwise).")
        boolean overwrite;

        @Option(
                names = "--dataset",
                defaultValue = "mnist:test",
                paramLabel = "SPEC",
                description = "Held-out evaluation data (mnist means mnist:test). Default: ${DEFAULT-VALUE}.")
        String dataset;

        @Option(
                names = "--calibration",
                defaultValue = "mnist:train:1000",
                paramLabel = "SPEC",
                description = "Calibration data for static quantization. Default: ${DEFAULT-VALUE}.")
        String calibration;

        @Option(
                names = "--max-accuracy-drop",
                defaultValue = "1%",
                paramLabel = "N%|FRACTION",
                description = "Accuracy budget: 1%% or 0.01. Default: ${DEFAULT-VALUE}.")
        String maxDrop;

        @Option(
                names = "--objective",
                defaultValue = "size",
                paramLabel = "size|latency",
                description = "Default: ${DEFAULT-VALUE}.")
        AutoOptions.Objective objective;

        @Option(names = "--json", paramLabel = "FILE", description = "Report JSON. Default: <output>.compress.json.")
        Path json;

        @Option(
                names = "--report",
                paramLabel = "FILE.html",
                description = "Report HTML. Default: <output>.compress.html.")
        Path report;

        @Option(
                names = "--latency-runs",
                defaultValue = "100",
                description = "Timed batch-1 calls per candidate. Default: ${DEFAULT-VALUE}.")
        int latencyRuns;

        @Override
        public Integer call() {
            OutputFiles.refuseExisting(output, overwrite, "--output");
            AutoOptions options = AutoOptions.parse(maxDrop, objective);
            return direct(() -> {
                try (OrtEngine engine = new OrtEngine()) {
                    OnnxModel input = OnnxModelReader.read(model);
                    LabeledData eval = ModelData.load(
                            dataset.equals("mnist") ? "mnist:test" : dataset, input, MnistFetcher.defaultDir());
                    LabeledData cal = ModelData.load(calibration, input, MnistFetcher.defaultDir());
                    CompressionService.Request request = new CompressionService.Request(
                            model,
                            output,
                            eval,
                            EvaluateOptions.defaults().withLatencyRuns(latencyRuns, 10),
                            Optional.ofNullable(json),
                            Optional.ofNullable(report));
                    AutoReport r = new AutoCompressor(engine).run(request, cal, options);
                    System.out.print(AutoTable.render(r));
                    System.out.println("wrote " + output);
                    return 0;
                }
            });
        }
    }

    /** Runs the work on this thread; checked exceptions become unchecked so PierCli prints one line. */
    private static int direct(Callable<Integer> work) {
        try {
            return work.call();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Data a strategy needs (calibration, retraining, distillation), shaped for the model; a read failure names it. */
    private static LabeledData strategyData(String spec, OnnxModel model, String purpose) {
        try {
            return ModelData.load(spec, model, MnistFetcher.defaultDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + purpose + " data " + spec + ": " + e.getMessage(), e);
        }
    }
}
