package dev.pier.repository;

import dev.pier.runtime.SessionOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A model's {@code config.yaml}: Triton's model configuration, in YAML, with Triton's field names, limited to
 * the fields Pier acts on. Every field is optional; the record fills the defaults. Immutable.
 *
 * <pre>{@code
 * name: mnist                      # must equal the model folder's name
 * platform: onnxruntime_onnx       # or backend: onnxruntime
 * max_batch_size: 8                # > 0: the first dim is the batch dim and 'dims' leave it out
 * input:  [{name: x, data_type: TYPE_FP32, dims: [784]}]
 * output: [{name: y, data_type: TYPE_FP32, dims: [10], label_filename: labels.txt}]
 * version_policy: {latest: {num_versions: 2}}   # or {all: {}} or {specific: {versions: [1, 3]}}
 * instance_group: [{count: 1, kind: KIND_CPU}]
 * parameters:                      # Triton's ONNX Runtime backend parameters
 *   intra_op_thread_count: {string_value: "1"}
 *   inter_op_thread_count: {string_value: "1"}
 * optimization: {graph: {level: 1}}   # Triton's ORT levels: -1 basic, 1 extended, 2 none, 0/absent all
 * dynamic_batching: {max_queue_delay_microseconds: 500, preferred_batch_size: [4, 8], max_queue_size: 64}
 * default_model_filename: model.onnx
 * }</pre>
 *
 * Thread counts and the optimisation level use the forms of Triton's ONNX Runtime backend (parameters with
 * {@code string_value}, and {@code optimization.graph.level}), so a Triton config carries over unchanged.
 * Other {@code parameters} keys are kept (Triton allows any) and shown in the model's metadata.
 * Three fields are Pier's own (Triton has no equivalent): {@code version_labels: {stable: 1, canary: 2}} (TF
 * Serving's version labels, served at {@code /v1/models/M/labels/L}), {@code traffic: {1: 90, 2: 10}}
 * (weights for requests that name no version) and {@code shadow_version: 2} (that version gets a copy of
 * every unversioned request; its answer is logged and compared, never returned).
 * {@code platform: ensemble} with Triton's {@code ensemble_scheduling} ({@link EnsembleScheduling}) serves a graph of
 * other models; processing-step platforms ({@code pier_image}, {@code pier_labels}, {@code pier_normalize} and those
 * added through {@code dev.pier.api.step.StepProvider}) read their settings from {@code parameters}. Neither needs
 * a version folder (version 1 is implied).
 * {@code instance_group} (executions at once per version) and {@code dynamic_batching} are acted on by
 * {@code dev.pier.batching.Batcher}, which the loader puts in front of every version's session.
 */
public record ModelConfig(
        String name,
        String platform,
        String backend,
        Integer maxBatchSize,
        List<TensorConfig> input,
        List<TensorConfig> output,
        VersionPolicy versionPolicy,
        List<InstanceGroup> instanceGroup,
        Map<String, ParameterValue> parameters,
        Optimization optimization,
        DynamicBatching dynamicBatching,
        String defaultModelFilename,
        Map<String, Long> versionLabels,
        Map<Long, Integer> traffic,
        Long shadowVersion,
        EnsembleScheduling ensembleScheduling) {

    public static final String DEFAULT_MODEL_FILENAME = "model.onnx";
    /** An ONNX model run by ONNX Runtime (the default). */
    public static final String ONNX_PLATFORM = "onnxruntime_onnx";
    /** Triton's ensembles: {@code ensemble_scheduling} wires other models into one. */
    public static final String ENSEMBLE_PLATFORM = "ensemble";

    static final Set<String> PLATFORMS = Set.of(ONNX_PLATFORM, ENSEMBLE_PLATFORM);
    static final Set<String> BACKENDS = Set.of("onnxruntime");
    /** The {@code parameters} keys that change how the session runs. */
    public static final String INTRA_OP_THREADS = "intra_op_thread_count";

    public static final String INTER_OP_THREADS = "inter_op_thread_count";

    public ModelConfig {
        if (name != null) {
            ModelNames.requireValid(name);
        }
        if (platform != null
                && !PLATFORMS.contains(platform)
                && !dev.pier.api.step.StepProviders.platforms().contains(platform)) {
            java.util.TreeSet<String> known = new java.util.TreeSet<>(PLATFORMS);
            known.addAll(dev.pier.api.step.StepProviders.platforms());
            throw new IllegalArgumentException("'platform' must be one of " + known
                    + " (ONNX models, ensembles and processing steps), got '" + platform + "'");
        }
        if (ENSEMBLE_PLATFORM.equals(platform)) {
            if (ensembleScheduling == null) {
                throw new IllegalArgumentException(
                        "'platform: ensemble' needs 'ensemble_scheduling' with its steps, as in Triton");
            }
            for (TensorConfig t : concat(input, output)) {
                if (t.dataType() == null || t.dims() == null) {
                    throw new IllegalArgumentException("ensemble tensor '" + t.name()
                            + "' needs 'data_type' and 'dims' (an ensemble has no model file to read them from)");
                }
            }
            if (input == null || input.isEmpty() || output == null || output.isEmpty()) {
                throw new IllegalArgumentException(
                        "'platform: ensemble' needs its 'input' and 'output' tensors listed");
            }
        } else if (ensembleScheduling != null) {
            throw new IllegalArgumentException(
                    "'ensemble_scheduling' is only for 'platform: ensemble', but platform is '"
                            + (platform == null ? ONNX_PLATFORM : platform) + "'");
        }
        if (backend != null && !BACKENDS.contains(backend)) {
            throw new IllegalArgumentException(
                    "'backend' must be one of " + BACKENDS + " (Pier serves ONNX models), got '" + backend + "'");
        }
        maxBatchSize = maxBatchSize == null ? 0 : maxBatchSize;
        if (maxBatchSize < 0) {
            throw new IllegalArgumentException(
                    "'max_batch_size' must be >= 0 (0 = the model does not batch), got " + maxBatchSize);
        }
        input = input == null ? List.of() : List.copyOf(input);
        output = output == null ? List.of() : List.copyOf(output);
        requireUniqueNames("input", input);
        requireUniqueNames("output", output);
        for (TensorConfig in : input) {
            if (in.labelFilename() != null) {
                throw new IllegalArgumentException(
                        "'label_filename' is for outputs, but input '" + in.name() + "' has one");
            }
        }
        versionPolicy = versionPolicy == null ? VersionPolicy.ofLatest(1) : versionPolicy;
        instanceGroup = instanceGroup == null ? List.of() : List.copyOf(instanceGroup);
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        for (String key : List.of(INTRA_OP_THREADS, INTER_OP_THREADS)) {
            if (parameters.containsKey(key)) {
                parameters.get(key).asNonNegativeInt("parameters." + key);
            }
        }
        optimization = optimization == null ? new Optimization(null) : optimization;
        if (dynamicBatching != null) {
            if (maxBatchSize == 0) {
                throw new IllegalArgumentException("'dynamic_batching' needs 'max_batch_size' > 0, as in Triton");
            }
            for (int p : dynamicBatching.preferredBatchSize()) {
                if (p > maxBatchSize) {
                    throw new IllegalArgumentException("'dynamic_batching.preferred_batch_size' " + p
                            + " exceeds 'max_batch_size' " + maxBatchSize);
                }
            }
        }
        versionLabels = versionLabels == null ? Map.of() : Map.copyOf(versionLabels);
        versionLabels.forEach((label, v) -> {
            if (!label.matches("[A-Za-z0-9_.-]{1,64}") || v == null || v < 1) {
                throw new IllegalArgumentException(
                        "'version_labels' maps label names (letters, digits, '_', '-', '.') to versions >= 1, got "
                                + label + ": " + v);
            }
        });
        traffic = traffic == null ? Map.of() : Map.copyOf(traffic);
        traffic.forEach((v, w) -> {
            if (v < 1 || w == null || w < 0) {
                throw new IllegalArgumentException("'traffic' maps versions >= 1 to weights >= 0, got " + v + ": " + w);
            }
        });
        if (!traffic.isEmpty()
                && traffic.values().stream().mapToLong(Integer::longValue).sum() == 0) {
            throw new IllegalArgumentException(
                    "'traffic' weights sum to 0; give at least one version a positive weight");
        }
        if (shadowVersion != null && shadowVersion < 1) {
            throw new IllegalArgumentException("'shadow_version' must be a version >= 1, got " + shadowVersion);
        }
        defaultModelFilename = defaultModelFilename == null ? DEFAULT_MODEL_FILENAME : defaultModelFilename;
        if (!ModelNames.isValid(defaultModelFilename)) {
            throw new IllegalArgumentException(
                    "'default_model_filename' must be a plain file name, got '" + defaultModelFilename + "'");
        }
    }

    /** The configuration of a model that has no config.yaml. */
    public static ModelConfig defaults(String name) {
        return new ModelConfig(
                name, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The platform, {@link #ONNX_PLATFORM} when the config names none. */
    public String platformOrDefault() {
        return platform == null ? ONNX_PLATFORM : platform;
    }

    public boolean isEnsemble() {
        return ENSEMBLE_PLATFORM.equals(platform);
    }

    /** True for models read from an ONNX file (not an ensemble, not a processing step). */
    public boolean isOnnx() {
        return platform == null || ONNX_PLATFORM.equals(platform);
    }

    private static List<TensorConfig> concat(List<TensorConfig> a, List<TensorConfig> b) {
        List<TensorConfig> all = new java.util.ArrayList<>(a == null ? List.of() : a);
        all.addAll(b == null ? List.of() : b);
        return all;
    }

    public Optional<DynamicBatching> batching() {
        return Optional.ofNullable(dynamicBatching);
    }

    /** Session options from the ONNX Runtime backend parameters; unset ones keep {@link SessionOptions#defaults()}. */
    public SessionOptions sessionOptions() {
        SessionOptions d = SessionOptions.defaults();
        int intra = parameters.containsKey(INTRA_OP_THREADS)
                ? parameters.get(INTRA_OP_THREADS).asNonNegativeInt(INTRA_OP_THREADS)
                : d.intraOpThreads();
        int inter = parameters.containsKey(INTER_OP_THREADS)
                ? parameters.get(INTER_OP_THREADS).asNonNegativeInt(INTER_OP_THREADS)
                : d.interOpThreads();
        return new SessionOptions(intra, inter, optimization.level());
    }

    private static void requireUniqueNames(String field, List<TensorConfig> tensors) {
        if (tensors.stream().map(TensorConfig::name).distinct().count() != tensors.size()) {
            throw new IllegalArgumentException("'" + field + "' names a tensor twice: "
                    + tensors.stream().map(TensorConfig::name).toList());
        }
    }

    /** One entry of Triton's {@code instance_group}. Pier runs ONNX Runtime on CPU: KIND_CPU or KIND_AUTO. */
    public record InstanceGroup(Integer count, Kind kind) {
        public enum Kind {
            KIND_AUTO,
            KIND_CPU,
            KIND_GPU,
            KIND_MODEL
        }

        public InstanceGroup {
            count = count == null ? 1 : count;
            kind = kind == null ? Kind.KIND_CPU : kind;
            if (count < 1) {
                throw new IllegalArgumentException("'instance_group.count' must be >= 1, got " + count);
            }
            if (kind != Kind.KIND_CPU && kind != Kind.KIND_AUTO) {
                throw new IllegalArgumentException(
                        "'instance_group.kind' must be KIND_CPU or KIND_AUTO (Pier runs ONNX Runtime on CPU), got "
                                + kind);
            }
        }
    }

    /** A Triton parameter value: {@code {string_value: "1"}}. */
    public record ParameterValue(String stringValue) {
        public ParameterValue {
            if (stringValue == null) {
                throw new IllegalArgumentException("a parameter needs 'string_value', as in {string_value: \"1\"}");
            }
        }

        int asNonNegativeInt(String field) {
            try {
                int v = Integer.parseInt(stringValue.trim());
                if (v >= 0) {
                    return v;
                }
            } catch (NumberFormatException ignored) {
                // falls through to the error below
            }
            throw new IllegalArgumentException(
                    "'" + field + "' must be a string holding an integer >= 0, got '" + stringValue + "'");
        }
    }

    /** Triton's {@code optimization}; Pier reads only {@code graph.level}. */
    public record Optimization(Graph graph) {
        public record Graph(Integer level) {
            public Graph {
                if (level != null && level != -1 && level != 0 && level != 1 && level != 2) {
                    throw new IllegalArgumentException(
                            "'optimization.graph.level' must be -1 (basic), 1 (extended), 2 (none) "
                                    + "or 0 (all, the default), as in Triton's ONNX Runtime backend; got " + level);
                }
            }
        }

        SessionOptions.Optimization level() {
            Integer level = graph == null ? null : graph.level();
            if (level == null) {
                return SessionOptions.Optimization.ALL;
            }
            return switch (level) {
                case -1 -> SessionOptions.Optimization.BASIC;
                case 1 -> SessionOptions.Optimization.EXTENDED;
                case 2 -> SessionOptions.Optimization.NONE;
                default -> SessionOptions.Optimization.ALL;
            };
        }
    }

    /**
     * Triton's {@code dynamic_batching}; {@code dev.pier.batching.BatchingOptions} turns it into scheduling. {@code max_queue_size} may be
     * given directly (Pier's short form) or as Triton's {@code default_queue_policy.max_queue_size}.
     */
    public record DynamicBatching(
            List<Integer> preferredBatchSize,
            Long maxQueueDelayMicroseconds,
            Integer maxQueueSize,
            QueuePolicy defaultQueuePolicy) {
        public record QueuePolicy(Integer maxQueueSize) {}

        public DynamicBatching {
            preferredBatchSize = preferredBatchSize == null ? List.of() : List.copyOf(preferredBatchSize);
            for (Integer p : preferredBatchSize) {
                if (p == null || p < 1) {
                    throw new IllegalArgumentException(
                            "'dynamic_batching.preferred_batch_size' must hold integers >= 1, got "
                                    + preferredBatchSize);
                }
            }
            maxQueueDelayMicroseconds = maxQueueDelayMicroseconds == null ? 0L : maxQueueDelayMicroseconds;
            if (maxQueueDelayMicroseconds < 0) {
                throw new IllegalArgumentException("'dynamic_batching.max_queue_delay_microseconds' must be >= 0, got "
                        + maxQueueDelayMicroseconds);
            }
            if (maxQueueSize == null && defaultQueuePolicy != null) {
                maxQueueSize = defaultQueuePolicy.maxQueueSize();
            }
            maxQueueSize = maxQueueSize == null ? 0 : maxQueueSize;
            if (maxQueueSize < 0) {
                throw new IllegalArgumentException(
                        "'dynamic_batching.max_queue_size' must be >= 0 (0 = unbounded), got " + maxQueueSize);
            }
        }
    }
}
