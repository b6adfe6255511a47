package dev.pier.pipeline;

import dev.pier.compress.CompressionReport;
import dev.pier.compress.CompressionService;
import dev.pier.compress.CompressionStrategy;
import dev.pier.compress.ModelData;
import dev.pier.compress.ModelFigures;
import dev.pier.compress.auto.AutoCompressor;
import dev.pier.compress.auto.AutoOptions;
import dev.pier.compress.auto.AutoReport;
import dev.pier.compress.distill.DistillOptions;
import dev.pier.compress.distill.Distiller;
import dev.pier.compress.prune.MagnitudePruner;
import dev.pier.compress.prune.PruneOptions;
import dev.pier.compress.quantize.DynamicQuantizer;
import dev.pier.compress.quantize.Fp16Converter;
import dev.pier.compress.quantize.QuantizeOptions;
import dev.pier.compress.quantize.StaticQuantizer;
import dev.pier.data.LabeledData;
import dev.pier.evaluate.EvaluateOptions;
import dev.pier.onnx.OnnxModel;
import dev.pier.onnx.OnnxModelReader;
import dev.pier.profile.Profiles;
import dev.pier.runtime.onnx.OrtEngine;
import dev.pier.train.TrainOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Compression through the services of {@code pier compress}: {@link AutoCompressor} for {@code method: auto}, else
 * {@link CompressionService} with the quantizer, pruner or {@link Distiller} the options name. Measured on the test data. The trained
 * model's reference profile is carried over (compression keeps the model's inputs, and drift is about inputs).
 */
final class CompressStage implements StageWork {
    static final String REPORT = "compress.json";
    static final String HTML = "compress.html";
    private static final int LATENCY_RUNS = 50;

    @Override
    public Stage stage() {
        return Stage.COMPRESS;
    }

    @Override
    public boolean configured(PipelineSpec spec) {
        return spec.compress() != null;
    }

    @Override
    public Map<String, Object> inputs(RunContext ctx) {
        PipelineSpec.Compress c = ctx.spec.compress();
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("method", c.method());
        switch (c.method()) {
            case "auto" -> {
                in.put("max_accuracy_drop", c.maxAccuracyDrop());
                in.put("objective", c.objective());
                in.put("calibration", c.calibration());
            }
            case "quantize" -> {
                in.put("mode", c.mode());
                if (c.mode().equals("static")) {
                    in.put("calibration", c.calibration());
                }
            }
            case "distill" -> {
                in.put("student", c.student());
                in.put("temperature", c.temperature());
                in.put("alpha", c.alpha());
                in.put("epochs", c.epochs());
                in.put("batch_size", c.batchSize());
                in.put("learning_rate", c.learningRate());
                in.put("schedule", c.schedule());
                in.put("seed", c.seed());
                in.put("train_data", distillData(ctx));
                in.put("train_files", DataStage.contentHash(distillData(ctx), ctx));
            }
            default -> in.put("sparsity", c.sparsity());
        }
        in.put("model", ctx.require(Stage.TRAIN).output(Models.MODEL));
        in.put("data", ctx.require(Stage.DATA).output(DataStage.MANIFEST));
        return in;
    }

    @Override
    public Outcome run(RunContext ctx, Path dir) throws Exception {
        PipelineSpec.Compress c = ctx.spec.compress();
        Path trained = ctx.cache.dir(Stage.TRAIN).resolve(Models.MODEL);
        Path out = dir.resolve(Models.MODEL);
        Map<String, Object> result = new LinkedHashMap<>();
        try (OrtEngine engine = new OrtEngine()) {
            OnnxModel input = OnnxModelReader.read(trained);
            LabeledData eval =
                    ModelData.load(DataStage.resolveSpec(ctx.spec.data().test(), ctx), input, ctx.mnistDir);
            EvaluateOptions options = EvaluateOptions.defaults().withLatencyRuns(LATENCY_RUNS, 10);
            if (c.method().equals("auto")) {
                LabeledData cal = ModelData.load(DataStage.resolveSpec(c.calibration(), ctx), input, ctx.mnistDir);
                AutoReport r = new AutoCompressor(engine)
                        .run(
                                trained,
                                out,
                                eval,
                                cal,
                                options,
                                new AutoOptions(
                                        c.maxAccuracyDrop(),
                                        AutoOptions.Objective.valueOf(
                                                c.objective().toUpperCase(Locale.ROOT))),
                                Optional.of(dir.resolve(REPORT)),
                                Optional.of(dir.resolve(HTML)));
                result.put("chosen", r.chosen());
                result.put("before", figures(r.original()));
            } else {
                CompressionReport r = new CompressionService(engine)
                        .run(
                                new CompressionService.Request(
                                        trained,
                                        out,
                                        eval,
                                        options,
                                        Optional.of(dir.resolve(REPORT)),
                                        Optional.of(dir.resolve(HTML))),
                                strategy(c, engine, input, ctx));
                result.put("chosen", r.strategy());
                result.put("before", figures(r.before()));
                result.put("after", figures(r.after()));
            }
        }
        List<String> outputs = new ArrayList<>(List.of(Models.MODEL, REPORT));
        if (Files.isRegularFile(dir.resolve(HTML))) {
            outputs.add(HTML);
        }
        Path profile = ctx.cache.dir(Stage.TRAIN).resolve(Models.PROFILE);
        if (Files.isRegularFile(profile)) {
            // The input statistics hold for the compressed model too, but a profile names the model file it belongs
            // to by hash (Profiles.requireMatch), so it is re-stamped for the compressed bytes.
            Profiles.write(
                    Profiles.read(profile).withModelSha256(Profiles.sha256(dir.resolve(Models.MODEL))),
                    dir.resolve(Models.PROFILE));
            outputs.add(Models.PROFILE);
        }
        return new Outcome(outputs, result);
    }

    private static CompressionStrategy strategy(
            PipelineSpec.Compress c, OrtEngine engine, OnnxModel model, RunContext ctx) throws java.io.IOException {
        if (c.method().equals("distill")) {
            DistillOptions options = new DistillOptions(
                    c.student(),
                    c.temperature(),
                    c.alpha(),
                    c.epochs(),
                    c.batchSize(),
                    c.learningRate().floatValue(),
                    TrainOptions.Schedule.valueOf(c.schedule().toUpperCase(Locale.ROOT)),
                    c.seed());
            return new Distiller(
                    engine, ModelData.load(DataStage.resolveSpec(distillData(ctx), ctx), model, ctx.mnistDir), options);
        }
        if (c.method().equals("prune")) {
            return new MagnitudePruner(new PruneOptions(PruneOptions.Method.MAGNITUDE, c.sparsity(), null, null));
        }
        return switch (c.mode()) {
            case "dynamic" -> new DynamicQuantizer(false);
            case "fp16" -> new Fp16Converter();
            default ->
                new StaticQuantizer(
                        engine,
                        ModelData.load(DataStage.resolveSpec(c.calibration(), ctx), model, ctx.mnistDir),
                        new QuantizeOptions(
                                QuantizeOptions.Mode.STATIC,
                                QuantizeOptions.Method.MINMAX,
                                99.99,
                                false,
                                QuantizeOptions.Format.QDQ));
        };
    }

    /** The student's training data: {@code train_data}, else the pipeline's training data. */
    private static String distillData(RunContext ctx) {
        return ctx.spec.compress().trainData() != null
                ? ctx.spec.compress().trainData()
                : ctx.spec.data().train();
    }

    private static Map<String, Object> figures(ModelFigures f) {
        return Map.of("accuracy", f.accuracy(), "size_bytes", f.sizeBytes(), "p99_ms", f.p99Ms());
    }
}
