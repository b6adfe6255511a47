package dev.pier.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pier.api.Shape;
import dev.pier.data.Datasets;
import dev.pier.data.LabeledData;
import dev.pier.data.Mnist;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Data preparation: checks that the training and test specs load, counts their examples and classes, and (with
 * {@code extra: log:DIR}) extracts the labelled logged traffic that the train stage adds to its data. Its key is the
 * specs plus the content hashes of the files they read, so a dataset edited in place is noticed.
 */
final class DataStage implements StageWork {
    static final String MANIFEST = "data.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Stage stage() {
        return Stage.DATA;
    }

    @Override
    public boolean configured(PipelineSpec spec) {
        return true;
    }

    @Override
    public Map<String, Object> inputs(RunContext ctx) {
        PipelineSpec.Data d = ctx.spec.data();
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("train", d.train());
        in.put("test", d.test());
        in.put("validation_split", d.validationSplit());
        in.put("train_files", contentHash(d.train(), ctx));
        in.put("test_files", contentHash(d.test(), ctx));
        if (d.extra() != null) {
            in.put("extra", d.extra());
            in.put("extra_files", contentHash(d.extra(), ctx));
            in.put("model", ctx.spec.publish().model());
            in.put("holdout", holdsOut(ctx.spec));
        }
        return in;
    }

    @Override
    public Outcome run(RunContext ctx, Path dir) throws IOException {
        PipelineSpec.Data d = ctx.spec.data();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("train", describe(load(d.train(), ctx, Shape.of(784))));
        result.put("test", describe(load(d.test(), ctx, Shape.of(784))));
        List<String> outputs = new java.util.ArrayList<>(List.of(MANIFEST));
        if (d.extra() != null) {
            LoggedData.Extracted extra = LoggedData.extract(
                    ctx.resolve(d.extra().substring(4)), ctx.spec.publish().model());
            Map<String, Object> described = new LinkedHashMap<>(
                    Map.of("spec", d.extra(), "predictions", extra.predictions(), "feedback", extra.feedback()));
            if (holdsOut(ctx.spec)) {
                LoggedData.Extracted[] parts = extra.split();
                extra = parts[0];
                parts[1].write(dir.resolve(LoggedData.HOLDOUT));
                outputs.add(LoggedData.HOLDOUT);
                described.put("held_out", parts[1].count());
            }
            extra.write(dir.resolve(LoggedData.FILE));
            outputs.add(LoggedData.FILE);
            described.put("examples", extra.count());
            result.put("extra", described);
        }
        Files.write(dir.resolve(MANIFEST), JSON.writeValueAsBytes(result));
        return new Outcome(outputs, result);
    }

    /** With {@code baseline: serving}, part of the logged traffic is held out of training for the baseline gate. */
    static boolean holdsOut(PipelineSpec spec) {
        return spec.data().extra() != null
                && spec.gates() != null
                && spec.gates().againstServing();
    }

    static LabeledData load(String spec, RunContext ctx, Shape mnistShape) {
        try {
            return Datasets.load(resolveSpec(spec, ctx), new Datasets.Options(ctx.mnistDir, mnistShape, null, null));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load dataset " + spec + ": " + e.getMessage(), e);
        }
    }

    /** File specs are relative to the pipeline file's folder. */
    static String resolveSpec(String spec, RunContext ctx) {
        if (Mnist.handles(spec)) {
            return spec;
        }
        for (String prefix : List.of("csv:", "images:")) {
            if (spec.startsWith(prefix)) {
                return prefix + ctx.resolve(spec.substring(prefix.length()));
            }
        }
        return ctx.resolve(spec).toString();
    }

    private static Map<String, Object> describe(LabeledData data) {
        return Map.of(
                "name",
                data.name(),
                "examples",
                data.count(),
                "classes",
                data.numClasses(),
                "example_shape",
                data.exampleShape().toString());
    }

    /** The content hash of what a spec reads: MNIST's IDX files of that split, a CSV file, an image or log folder. */
    static String contentHash(String spec, RunContext ctx) {
        if (Mnist.handles(spec)) {
            String prefix = spec.startsWith("mnist:test") ? "t10k-" : "train-";
            if (!Files.isDirectory(ctx.mnistDir)) {
                return "absent";
            }
            try (Stream<Path> files = Files.list(ctx.mnistDir)) {
                return Hashes.of(files.filter(f -> f.getFileName().toString().startsWith(prefix))
                        .sorted()
                        .map(f -> f.getFileName() + ":" + Hashes.file(f))
                        .toList());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + ctx.mnistDir + ": " + e.getMessage(), e);
            }
        }
        String path = spec.replaceFirst("^(csv|images|log):", "");
        Path p = ctx.resolve(path);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("dataset " + spec + ": " + p + " does not exist");
        }
        return Hashes.path(p);
    }
}
