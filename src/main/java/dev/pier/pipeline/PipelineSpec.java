package dev.pier.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pier.deploy.KubernetesDeployOptions;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@code pipeline.yaml}, as {@link PipelineParser} reads it. Immutable; every section but {@code name},
 * {@code data}, {@code train} and {@code publish} is optional (null when absent).
 *
 * <pre>{@code
 * name: mnist
 * data:     {train: mnist:train, test: mnist:test, validation_split: 0.2, extra: "log:logs"}
 * train:    {arch: "mlp:128", epochs: 10, optimizer: adam, lr: 0.001, batch_size: 32, seed: 42}  # or {model: existing.onnx}
 * compress: {method: auto, max_accuracy_drop: 0.005}
 * gates:    {accuracy: {min: 0.97}, latency_p99_ms: {max: 5}, size_mb: {max: 2}, baseline: serving}
 * publish:  {repository: models, model: mnist, canary: 10}
 * package:  {image: "registry.example.com/team/mnist:{version}", to: "tar:out/image.tar"}
 * deploy:   {kubernetes: {out: k8s, autoscale: "2..10"}}
 * }</pre>
 */
public record PipelineSpec(
        String name,
        Data data,
        Train train,
        Compress compress,
        Gates gates,
        Publish publish,
        @JsonProperty("package") Package packaging,
        Deploy deploy) {

    public PipelineSpec {
        require(
                name != null && name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}"),
                "name",
                "a name of letters, digits, '_', '-' or '.', got " + name);
        require(data != null, "data", "a data section {train: SPEC, test: SPEC}");
        require(train != null, "train", "a train section {arch: ..., epochs: ...} or {model: FILE.onnx}");
        require(publish != null, "publish", "a publish section {repository: DIR, model: NAME}");
    }

    /** Datasets, as {@code pier train --dataset} takes them; {@code extra: log:DIR} adds labelled logged traffic. */
    public record Data(String train, String test, Double validationSplit, String extra) {
        public Data {
            require(train != null, "data.train", "a dataset spec such as mnist:train");
            require(test != null, "data.test", "a dataset spec such as mnist:test");
            validationSplit = validationSplit == null ? 0.2 : validationSplit;
            require(
                    validationSplit >= 0 && validationSplit < 1,
                    "data.validation_split",
                    "a fraction in [0, 1), got " + validationSplit);
            require(
                    extra == null || extra.startsWith("log:") && extra.length() > 4,
                    "data.extra",
                    "log:DIR (a pier serve --prediction-log folder), got " + extra);
        }
    }

    /** Training parameters, or {@code model} to import an existing ONNX model instead of training. */
    public record Train(
            String arch, Integer epochs, String optimizer, Double lr, Integer batchSize, Long seed, String model) {
        public Train {
            if (model != null) {
                require(
                        arch == null
                                && epochs == null
                                && optimizer == null
                                && lr == null
                                && batchSize == null
                                && seed == null,
                        "train.model",
                        "either model: FILE.onnx or training parameters, not both");
            } else {
                arch = arch == null ? "mlp:128" : arch;
                epochs = epochs == null ? 10 : epochs;
                optimizer = optimizer == null ? "adam" : optimizer.toLowerCase(Locale.ROOT);
                lr = lr == null ? 0.001 : lr;
                batchSize = batchSize == null ? 32 : batchSize;
                seed = seed == null ? 42L : seed;
                require(epochs > 0, "train.epochs", "an integer > 0, got " + epochs);
                require(
                        optimizer.equals("adam") || optimizer.equals("sgd"),
                        "train.optimizer",
                        "adam or sgd, got " + optimizer);
                require(lr > 0, "train.lr", "a learning rate > 0, got " + lr);
                require(batchSize > 0, "train.batch_size", "an integer > 0, got " + batchSize);
            }
        }

        public boolean imports() {
            return model != null;
        }
    }

    /**
     * Compression as {@code pier compress} does it: {@code auto} (keep the best variant within
     * {@code max_accuracy_drop}, by {@code objective}), {@code quantize} ({@code mode}: dynamic, static or fp16),
     * {@code prune} (magnitude, {@code sparsity}) or {@code distill} (a {@code student} architecture trained on the
     * trained model's soft outputs, with {@code pier compress distill}'s options and defaults; its training data is
     * {@code train_data}, default the pipeline's {@code data.train}).
     */
    public record Compress(
            String method,
            Double maxAccuracyDrop,
            String objective,
            String mode,
            Double sparsity,
            String calibration,
            String student,
            Double temperature,
            Double alpha,
            Integer epochs,
            Integer batchSize,
            Double learningRate,
            String schedule,
            Long seed,
            String trainData) {
        public Compress {
            method = method == null ? "auto" : method.toLowerCase(Locale.ROOT);
            require(
                    method.equals("auto")
                            || method.equals("quantize")
                            || method.equals("prune")
                            || method.equals("distill"),
                    "compress.method",
                    "auto, quantize, prune or distill, got " + method);
            maxAccuracyDrop = maxAccuracyDrop == null ? 0.01 : maxAccuracyDrop;
            require(maxAccuracyDrop >= 0 && maxAccuracyDrop <= 1, "compress.max_accuracy_drop", "a fraction in [0, 1]");
            objective = objective == null ? "size" : objective.toLowerCase(Locale.ROOT);
            require(
                    objective.equals("size") || objective.equals("latency"),
                    "compress.objective",
                    "size or latency, got " + objective);
            mode = mode == null ? "dynamic" : mode.toLowerCase(Locale.ROOT);
            require(
                    mode.equals("dynamic") || mode.equals("static") || mode.equals("fp16"),
                    "compress.mode",
                    "dynamic, static or fp16, got " + mode);
            sparsity = sparsity == null ? 0.5 : sparsity;
            require(sparsity >= 0 && sparsity < 1, "compress.sparsity", "a fraction in [0, 1)");
            calibration = calibration == null ? "mnist:train:1000" : calibration;
            boolean distill = method.equals("distill");
            require(
                    distill == (student != null),
                    "compress.student",
                    distill
                            ? "a student architecture such as mlp:64 (method: distill)"
                            : "no student unless method: distill");
            require(
                    distill
                            || temperature == null
                                    && alpha == null
                                    && epochs == null
                                    && batchSize == null
                                    && learningRate == null
                                    && schedule == null
                                    && seed == null
                                    && trainData == null,
                    "compress",
                    "temperature, alpha, epochs, batch_size, learning_rate, schedule, seed and train_data only with method: distill");
            // pier compress distill's defaults
            temperature = temperature == null ? 20.0 : temperature;
            alpha = alpha == null ? 0.9 : alpha;
            epochs = epochs == null ? 10 : epochs;
            batchSize = batchSize == null ? 64 : batchSize;
            learningRate = learningRate == null ? 0.001 : learningRate;
            schedule = schedule == null ? "constant" : schedule.toLowerCase(Locale.ROOT);
            seed = seed == null ? 42L : seed;
            require(temperature > 0, "compress.temperature", "a temperature > 0, got " + temperature);
            require(alpha >= 0 && alpha <= 1, "compress.alpha", "a weight in [0, 1], got " + alpha);
            require(epochs > 0, "compress.epochs", "an integer > 0, got " + epochs);
            require(batchSize > 0, "compress.batch_size", "an integer > 0, got " + batchSize);
            require(learningRate > 0, "compress.learning_rate", "a learning rate > 0, got " + learningRate);
            require(
                    schedule.equals("constant") || schedule.equals("step") || schedule.equals("cosine"),
                    "compress.schedule",
                    "constant, step or cosine, got " + schedule);
        }
    }

    /** All must hold, or nothing is published. {@code baseline: serving}: no worse than the served version. */
    public record Gates(Min accuracy, Max latencyP99Ms, Max sizeMb, String baseline) {
        public Gates {
            require(baseline == null || baseline.equals("serving"), "gates.baseline", "serving, got " + baseline);
        }

        public boolean againstServing() {
            return "serving".equals(baseline);
        }
    }

    public record Min(Double min) {
        public Min {
            require(min != null, "min", "a number");
        }
    }

    public record Max(Double max) {
        public Max {
            require(max != null, "max", "a number");
        }
    }

    /** Where the new version goes; {@code canary: N} gives it N % of the unversioned traffic at first. */
    public record Publish(String repository, String model, Integer canary) {
        public Publish {
            require(repository != null, "publish.repository", "the model repository folder");
            require(
                    model != null && model.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}"),
                    "publish.model",
                    "a model name of letters, digits, '_', '-' or '.', got " + model);
            require(
                    canary == null || canary > 0 && canary < 100,
                    "publish.canary",
                    "a percentage in 1..99, got " + canary);
        }
    }

    /** {@code pier package}: {@code {version}} in the image is replaced by the published version. */
    public record Package(String image, String to, String base) {
        public Package {
            require(
                    image != null,
                    "package.image",
                    "an image reference such as registry.example.com/team/mnist:{version}");
            to = to == null ? "registry" : to;
        }
    }

    /** {@code kubernetes} ({@code pier deploy kubernetes}), {@code kserve} ({@code pier deploy kserve}), or both. */
    public record Deploy(Kubernetes kubernetes, KServe kserve) {
        public Deploy {
            require(kubernetes != null || kserve != null, "deploy", "kubernetes: {...} or kserve: {...}");
            // each writer clears the manifests it wrote before from its folder: one folder cannot hold both
            require(
                    kubernetes == null || kserve == null || !kubernetes.out().equals(kserve.out()),
                    "deploy.kserve.out",
                    "a folder other than deploy.kubernetes.out, got " + (kserve == null ? null : kserve.out()));
        }
    }

    public record Kubernetes(String out, String autoscale, String name, String namespace) {
        public Kubernetes {
            out = out == null ? "k8s" : out;
            name = name == null ? "pier" : name;
            requireRange(autoscale, "deploy.kubernetes.autoscale");
        }
    }

    /**
     * A KServe ServingRuntime and InferenceService, as {@code pier deploy kserve} writes them: {@code canary: N} is the
     * InferenceService's {@code canaryTrafficPercent} (KServe sends N % to the newest revision, the rest to the last
     * ready one); {@code storage_uri} makes KServe fetch the repository instead of serving the models baked into the
     * image; {@code autoscale} is the predictor's MIN..MAX replicas (default 1..3).
     */
    public record KServe(
            String out, Integer canary, String storageUri, String name, String namespace, String autoscale) {
        public KServe {
            out = out == null ? "k8s" : out;
            name = name == null ? "pier" : name;
            autoscale = autoscale == null ? "1..3" : autoscale;
            require(
                    canary == null || canary > 0 && canary < 100,
                    "deploy.kserve.canary",
                    "a percentage in 1..99, got " + canary);
            require(
                    name.matches("[a-z]([-a-z0-9]*[a-z0-9])?") && name.length() <= 45,
                    "deploy.kserve.name",
                    "lower-case letters, digits and '-', starting with a letter (at most 45), got " + name);
            requireRange(autoscale, "deploy.kserve.autoscale");
        }
    }

    private static void requireRange(String range, String key) {
        if (range != null) {
            try {
                KubernetesDeployOptions.Autoscale.parse(range, 70, Optional.empty());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "'" + key + "': expected MIN..MAX replicas such as 2..10 (1 <= MIN <= MAX), got " + range);
            }
        }
    }

    static void require(boolean ok, String key, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("'" + key + "': expected " + expected);
        }
    }
}
