package dev.pier.serving.graph;

import dev.pier.api.ModelSignature;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import dev.pier.api.step.Step;
import dev.pier.api.step.StepContext;
import dev.pier.api.step.StepProvider;
import dev.pier.api.step.StepProviders;
import dev.pier.batching.Batcher;
import dev.pier.batching.BatchingOptions;
import dev.pier.batching.SchedulingDefaults;
import dev.pier.repository.ModelConfig;
import dev.pier.repository.TensorConfig;
import dev.pier.runtime.ModelSession;
import dev.pier.serving.LabelFiles;
import dev.pier.serving.LoadedModel;
import dev.pier.serving.Loader;
import dev.pier.serving.SignatureResolver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads one version of a processing-step model (a platform some {@link StepProvider} registered): makes the step,
 * checks config.yaml's {@code input}/{@code output} against its signature as for an ONNX model, and puts it behind
 * a {@link Batcher}, so it has its own bounded queue, worker threads ({@code instance_group}), optional dynamic
 * batching and metrics. Not thread-safe: the manager calls it from one thread at a time.
 */
final class StepLoader implements Loader {
    private final String model;
    private final long version;
    private final ModelConfig config;
    private final Path modelDir;
    private final SchedulingDefaults scheduling;
    private LoadedModel loaded;

    StepLoader(String model, long version, ModelConfig config, Path modelDir, SchedulingDefaults scheduling) {
        this.model = model;
        this.version = version;
        this.config = config;
        this.modelDir = modelDir;
        this.scheduling = scheduling;
    }

    @Override
    public LoadedModel load() {
        StepProvider provider = StepProviders.forPlatform(config.platform())
                .orElseThrow(() -> new IllegalStateException("no step provider for platform '" + config.platform()
                        + "' on the class path; known: " + StepProviders.platforms()));
        Map<String, List<String>> labels = LabelFiles.read(config, modelDir);
        Map<String, String> parameters = new LinkedHashMap<>();
        config.parameters().forEach((k, v) -> parameters.put(k, v.stringValue()));
        StepContext context = new StepContext(
                model,
                version,
                modelDir,
                config.maxBatchSize(),
                specs(config.input(), config.maxBatchSize()),
                specs(config.output(), config.maxBatchSize()),
                parameters,
                labels);
        Step step = provider.create(context);
        try {
            ModelSignature signature = SignatureResolver.resolve(step.signature(), config);
            ModelSession session = new StepSession(step);
            Batcher scheduled = new Batcher(
                    session,
                    BatchingOptions.from(config, step.signature(), scheduling),
                    "model '" + model + "' version " + version);
            loaded = new LoadedModel(
                    model, version, scheduled, signature, config, LabelFiles.read(config, modelDir, signature));
            return loaded;
        } catch (RuntimeException e) {
            step.close();
            throw e;
        }
    }

    private static List<TensorSpec> specs(List<TensorConfig> tensors, int maxBatch) {
        List<TensorSpec> out = new ArrayList<>();
        for (TensorConfig t : tensors) {
            Shape shape = t.shape().map(s -> maxBatch > 0 ? withBatch(s) : s).orElse(null);
            out.add(new TensorSpec(
                    t.name(), t.dataType() == null ? null : t.dataType().dataType(), shape));
        }
        return out;
    }

    private static Shape withBatch(Shape s) {
        long[] full = new long[s.rank() + 1];
        full[0] = Shape.DYNAMIC;
        System.arraycopy(s.toArray(), 0, full, 1, s.rank());
        return Shape.of(full);
    }

    @Override
    public void unload() {
        if (loaded != null) {
            loaded.close();
            loaded = null;
        }
    }

    @Override
    public long estimatedBytes() {
        return 0;
    }

    /** A step seen as a runtime session, so the scheduler in front of it is the same as for a model. */
    private record StepSession(Step step) implements ModelSession {
        @Override
        public ModelSignature signature() {
            return step.signature();
        }

        @Override
        public List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
            List<String> names = outputNames.isEmpty()
                    ? step.signature().outputs().stream().map(TensorSpec::name).toList()
                    : outputNames;
            return step.run(inputs, names);
        }

        @Override
        public long sizeBytes() {
            return 0;
        }

        @Override
        public void close() {
            step.close();
        }
    }
}
