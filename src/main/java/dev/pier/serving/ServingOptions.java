package dev.pier.serving;

import dev.pier.repository.ModelSource;
import dev.pier.repository.RepositorySource;
import dev.pier.repository.SingleModelSource;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the serving core runs.
 *
 * @param modelPath     a model repository folder ({@code <root>/<model>/<version>/model.onnx}), or one
 *                      {@code .onnx} file served as version 1
 * @param modelName     the name for a single file; null takes the file name without extension. Ignored for
 *                      a repository, where folder names are the model names
 * @param workerThreads inferences of one model version that run at once when its config has no
 *                      {@code instance_group}; default: the number of processors
 * @param queueCapacity requests that may wait per model version when its config sets no
 *                      {@code dynamic_batching.max_queue_size}; beyond that requests fail fast with
 *                      UNAVAILABLE (503) instead of piling up latency. Default 256
 * @param loadThreads   model versions loading at once; default 2
 * @param defaultTimeoutMs end-to-end deadline (queue time included) of requests that bring none; 0 = none
 *                      (default)
 * @param memoryBudgetBytes estimated bytes all loaded model versions may hold together (model file sizes); 0 =
 *                      unlimited (default). Past it, least recently used idle versions are unloaded; a load that
 *                      cannot fit is refused with 507
 * @param lazyLoad      load a model on its first request rather than at start-up (default false)
 */
public record ServingOptions(
        Path modelPath,
        String modelName,
        int workerThreads,
        int queueCapacity,
        int loadThreads,
        long defaultTimeoutMs,
        long memoryBudgetBytes,
        boolean lazyLoad) {
    public static final int DEFAULT_QUEUE_CAPACITY = 256;
    public static final int DEFAULT_LOAD_THREADS = 2;

    public ServingOptions {
        if (modelPath == null) {
            throw new IllegalArgumentException("a model repository folder or a model file is required");
        }
        if (defaultTimeoutMs < 0) {
            throw new IllegalArgumentException(
                    "the default timeout must be >= 0 ms (0 = none), got " + defaultTimeoutMs);
        }
        if (memoryBudgetBytes < 0) {
            throw new IllegalArgumentException(
                    "the memory budget must be >= 0 MB (0 = unlimited), got " + memoryBudgetBytes + " bytes");
        }
        if (workerThreads < 1 || queueCapacity < 1 || loadThreads < 1) {
            throw new IllegalArgumentException("workerThreads, queueCapacity and loadThreads must be >= 1, got "
                    + workerThreads + ", " + queueCapacity + ", " + loadThreads);
        }
    }

    /** Defaults for a path: a repository folder, or a single model file with an optional name. */
    public static ServingOptions of(Path modelPath, String modelName) {
        return new ServingOptions(
                modelPath,
                modelName,
                Math.max(1, Runtime.getRuntime().availableProcessors()),
                DEFAULT_QUEUE_CAPACITY,
                DEFAULT_LOAD_THREADS,
                0,
                0,
                false);
    }

    public ServingOptions withWorkers(int workers, int queue) {
        return new ServingOptions(
                modelPath, modelName, workers, queue, loadThreads, defaultTimeoutMs, memoryBudgetBytes, lazyLoad);
    }

    public ServingOptions withDefaultTimeoutMs(long timeoutMs) {
        return new ServingOptions(
                modelPath,
                modelName,
                workerThreads,
                queueCapacity,
                loadThreads,
                timeoutMs,
                memoryBudgetBytes,
                lazyLoad);
    }

    /** @param budgetBytes see {@link #memoryBudgetBytes()}; @param lazy see {@link #lazyLoad()} */
    public ServingOptions withMemory(long budgetBytes, boolean lazy) {
        return new ServingOptions(
                modelPath, modelName, workerThreads, queueCapacity, loadThreads, defaultTimeoutMs, budgetBytes, lazy);
    }

    /** The source these options describe; fails with a clear message when the path does not exist. */
    public ModelSource source() {
        if (Files.isDirectory(modelPath)) {
            return new RepositorySource(modelPath);
        }
        if (Files.isRegularFile(modelPath)) {
            return new SingleModelSource(
                    modelPath, modelName != null ? modelName : SingleModelSource.defaultName(modelPath));
        }
        throw new IllegalArgumentException("model path " + modelPath.toAbsolutePath()
                + " does not exist; expected a model repository folder or a .onnx file");
    }
}
