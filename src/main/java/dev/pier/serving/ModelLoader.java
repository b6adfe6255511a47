package dev.pier.serving;

import dev.pier.api.ModelSignature;
import dev.pier.batching.Batcher;
import dev.pier.batching.BatchingOptions;
import dev.pier.batching.SchedulingDefaults;
import dev.pier.repository.AspiredVersion;
import dev.pier.repository.ModelConfig;
import dev.pier.runtime.InferenceEngine;
import dev.pier.runtime.ModelSession;
import dev.pier.runtime.WarmUp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Loader of one model version (TF Serving's term): cheap to construct; {@link #load()} does the
 * expensive work: creates the session through the {@link InferenceEngine}, checks the config against the
 * model, reads label files, and runs one warm-up inference (zeros in the config-resolved shapes, dynamic
 * dimensions = 1) before the version may be reported ready.
 * The session is then wrapped in a {@link Batcher} as the config's {@code dynamic_batching} and
 * {@code instance_group} ask. {@link #unload()} closes what the last load created. Not thread-safe: the manager calls it from one thread
 * at a time.
 */
public final class ModelLoader implements Loader {
    private final String model;
    private final AspiredVersion version;
    private final ModelConfig config;
    private final Path modelDir;
    private final InferenceEngine engine;
    private final SchedulingDefaults scheduling;
    private LoadedModel loaded;

    /**
     * @param modelDir the model's folder, where {@code label_filename}s are resolved
     */
    public ModelLoader(
            String model, AspiredVersion version, ModelConfig config, Path modelDir, InferenceEngine engine) {
        this(model, version, config, modelDir, engine, SchedulingDefaults.ofMachine());
    }

    public ModelLoader(
            String model,
            AspiredVersion version,
            ModelConfig config,
            Path modelDir,
            InferenceEngine engine,
            SchedulingDefaults scheduling) {
        this.scheduling = scheduling;
        this.model = model;
        this.version = version;
        this.config = config;
        this.modelDir = modelDir;
        this.engine = engine;
    }

    public long version() {
        return version.version();
    }

    /**
     * Loads and warms up the version. Any failure throws, with a message that says what went wrong, and
     * leaves nothing open.
     */
    @Override
    public LoadedModel load() {
        Path file = version.modelFile();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("model file " + file + " not found");
        }
        ModelSession session = engine.load(file, config.sessionOptions());
        try {
            ModelSignature signature = SignatureResolver.resolve(session.signature(), config);
            Map<String, List<String>> labels = LabelFiles.read(config, modelDir, signature);
            session.run(WarmUp.zeroInputs(signature.inputs()), List.of());
            // every version is scheduled: bounded queue, instance_group.count executions, dynamic_batching
            Batcher scheduled = new Batcher(
                    session,
                    BatchingOptions.from(config, session.signature(), scheduling),
                    "model '" + model + "' version " + version.version());
            loaded =
                    new LoadedModel(model, version.version(), scheduled, signature, config, labels, Lineage.read(file));
            return loaded;
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /**
     * Memory this version is expected to hold once loaded: the model file's size (external data files are
     * not counted). An estimate: ONNX Runtime's resident growth differs (see
     * docs/serving-operations.md); 0 when the file cannot be read (the load will then fail anyway).
     */
    @Override
    public long estimatedBytes() {
        try {
            return Files.size(version.modelFile());
        } catch (IOException e) {
            return 0;
        }
    }

    /** Frees what {@link #load()} created; harmless when nothing is loaded. */
    @Override
    public void unload() {
        if (loaded != null) {
            loaded.close();
            loaded = null;
        }
    }
}
