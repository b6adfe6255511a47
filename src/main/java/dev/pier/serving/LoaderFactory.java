package dev.pier.serving;

import dev.pier.batching.SchedulingDefaults;
import dev.pier.repository.AspiredVersion;
import dev.pier.repository.ModelConfig;
import dev.pier.runtime.InferenceEngine;
import java.nio.file.Path;

/**
 * Makes the {@link Loader} of an aspired version; injected into the {@link ModelManager} so that the manager
 * does not know how models are loaded. Must be cheap and must not load anything itself.
 */
@FunctionalInterface
public interface LoaderFactory {

    /** @param modelDir the model's folder (label files are resolved there) */
    Loader create(String model, AspiredVersion version, ModelConfig config, Path modelDir);

    /** The real factory: ONNX Runtime sessions through {@code engine}, scheduled as {@code scheduling} says. */
    static LoaderFactory onnx(InferenceEngine engine, SchedulingDefaults scheduling) {
        return (model, version, config, dir) -> new ModelLoader(model, version, config, dir, engine, scheduling);
    }
}
