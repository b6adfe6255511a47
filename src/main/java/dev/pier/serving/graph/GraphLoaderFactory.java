package dev.pier.serving.graph;

import dev.pier.api.InferenceService;
import dev.pier.batching.SchedulingDefaults;
import dev.pier.repository.AspiredVersion;
import dev.pier.repository.ModelConfig;
import dev.pier.serving.Loader;
import dev.pier.serving.LoaderFactory;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Chooses the loader of a version by its config's {@code platform}: ensembles, processing steps, and ONNX models
 * (delegated). A new kind of model is a new loader here, never a branch on the request path. Thread-safe.
 */
public final class GraphLoaderFactory implements LoaderFactory {
    private final LoaderFactory onnx;
    private final SchedulingDefaults scheduling;
    private final Supplier<InferenceService> core;

    /**
     * @param onnx       makes the loaders of ONNX models
     * @param scheduling queue and worker defaults for processing steps
     * @param core       the serving core ensembles run their steps through (bound after construction)
     */
    public GraphLoaderFactory(LoaderFactory onnx, SchedulingDefaults scheduling, Supplier<InferenceService> core) {
        this.onnx = onnx;
        this.scheduling = scheduling;
        this.core = core;
    }

    @Override
    public Loader create(String model, AspiredVersion version, ModelConfig config, Path modelDir) {
        if (config.isEnsemble()) {
            return new EnsembleLoader(model, version.version(), config, modelDir, core, scheduling.maxQueueSize());
        }
        if (!config.isOnnx()) {
            return new StepLoader(model, version.version(), config, modelDir, scheduling);
        }
        return onnx.create(model, version, config, modelDir);
    }
}
