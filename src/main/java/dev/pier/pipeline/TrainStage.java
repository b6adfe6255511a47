package dev.pier.pipeline;

import dev.pier.api.Shape;
import dev.pier.data.LabeledData;
import dev.pier.profile.Profiles;
import dev.pier.train.Architectures;
import dev.pier.train.ProgressBarListener;
import dev.pier.train.TrainOptions;
import dev.pier.train.TrainingResult;
import dev.pier.train.TrainingService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training through {@link TrainingService} (the code path of {@code pier train}), or, with {@code model: FILE.onnx},
 * importing an existing model as it is. Outputs {@code model.onnx}, the reference profile for drift detection and the
 * training log.
 */
final class TrainStage implements StageWork {
    static final String LOG = "train.json";

    @Override
    public Stage stage() {
        return Stage.TRAIN;
    }

    @Override
    public boolean configured(PipelineSpec spec) {
        return true;
    }

    @Override
    public Map<String, Object> inputs(RunContext ctx) {
        PipelineSpec.Train t = ctx.spec.train();
        Map<String, Object> in = new LinkedHashMap<>();
        if (t.imports()) {
            Path model = ctx.resolve(t.model());
            if (!Files.isRegularFile(model)) {
                throw new IllegalArgumentException("'train.model': " + model + " is not a file");
            }
            in.put("model", t.model());
            in.put("model_sha256", Hashes.file(model));
            Path profile = Profiles.defaultPath(model);
            in.put("profile_sha256", Files.isRegularFile(profile) ? Hashes.file(profile) : "none");
            return in;
        }
        in.put("arch", t.arch());
        in.put("epochs", t.epochs());
        in.put("optimizer", t.optimizer());
        in.put("lr", t.lr());
        in.put("batch_size", t.batchSize());
        in.put("seed", t.seed());
        StageRecord data = ctx.require(Stage.DATA);
        in.put("data", data.output(DataStage.MANIFEST));
        data.outputs().entrySet().stream()
                .filter(e -> e.getKey().equals(LoggedData.FILE))
                .forEach(e -> in.put("extra_data", e.getValue()));
        return in;
    }

    @Override
    public Outcome run(RunContext ctx, Path dir) throws Exception {
        PipelineSpec.Train t = ctx.spec.train();
        Path model = dir.resolve(Models.MODEL);
        List<String> outputs = new ArrayList<>(List.of(Models.MODEL));
        Map<String, Object> result = new LinkedHashMap<>();
        if (t.imports()) {
            Path source = ctx.resolve(t.model());
            Files.copy(source, model, StandardCopyOption.REPLACE_EXISTING);
            Path profile = Profiles.defaultPath(source);
            if (Files.isRegularFile(profile)) {
                Files.copy(profile, dir.resolve(Models.PROFILE));
                outputs.add(Models.PROFILE);
            }
            result.put("imported", t.model());
            return new Outcome(outputs, result);
        }
        boolean images = Architectures.parse(t.arch(), 10).wantsImages();
        LabeledData data = DataStage.load(ctx.spec.data().train(), ctx, images ? Shape.of(1, 28, 28) : Shape.of(784));
        Path extra = ctx.cache.dir(Stage.DATA).resolve(LoggedData.FILE);
        if (ctx.require(Stage.DATA).outputs().containsKey(LoggedData.FILE)) {
            data = LoggedData.append(data, extra);
        }
        TrainOptions options = TrainOptions.defaults().toBuilder()
                .architecture(t.arch())
                .epochs(t.epochs())
                .optimizer(TrainOptions.OptimizerKind.valueOf(t.optimizer().toUpperCase(java.util.Locale.ROOT)))
                .learningRate(t.lr().floatValue())
                .batchSize(t.batchSize())
                .seed(t.seed())
                .validationSplit(ctx.spec.data().validationSplit())
                .output(model)
                .logFile(dir.resolve(LOG))
                .checkpointDir(dir.resolve(".checkpoints"))
                .build();
        TrainingResult r =
                new TrainingService(true).train(data, options, new ProgressBarListener(ctx.out, ctx.progressBars));
        StageCache.delete(dir.resolve(".checkpoints"));
        outputs.add(LOG);
        if (r.profile() != null) {
            // training writes <stem>.profile.json; a repository version reads profile.json beside model.onnx
            Path written = Profiles.defaultPath(model);
            if (Files.isRegularFile(written)
                    && !written.equals(dir.resolve(Models.PROFILE).toAbsolutePath())) {
                Files.move(written, dir.resolve(Models.PROFILE), StandardCopyOption.REPLACE_EXISTING);
            }
            outputs.add(Models.PROFILE);
        }
        result.put("train_examples", r.log().trainExamples());
        result.put("validation_examples", r.log().validationExamples());
        result.put("epochs", r.log().epochs().size());
        if (r.metrics().validationAccuracy() != null) {
            result.put("validation_accuracy", r.metrics().validationAccuracy());
        }
        return new Outcome(outputs, result);
    }
}
