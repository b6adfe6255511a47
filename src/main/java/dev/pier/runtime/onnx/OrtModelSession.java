package dev.pier.runtime.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.pier.api.DataType;
import dev.pier.api.InternalException;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelSignature;
import dev.pier.api.PierException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import dev.pier.api.UnavailableException;
import dev.pier.runtime.ModelSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ONNX Runtime session. Thread-safe: runs proceed concurrently (ONNX Runtime allows it) under a read
 * lock; {@link #close()} takes the write lock, so native memory is never freed under a running request.
 * Owns the native session and every OnnxTensor it creates.
 */
public final class OrtModelSession implements ModelSession {
    private static final Logger log = LoggerFactory.getLogger(OrtModelSession.class);

    private final OrtEnvironment env;
    private final OrtSession session;
    private final Path modelFile;
    private final String label; // what client-facing messages call the model: never its server path
    private final ModelSignature signature;
    private final Map<String, String[]> symbolicDims = new HashMap<>();
    private final long sizeBytes;
    /** Built once: validation asks for them on every request. */
    private final Map<String, List<String>> dimensionNames;
    /** Every output, in signature order: what a request that names none gets. */
    private final List<String> allOutputs;

    private final Set<String> allOutputSet;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    OrtModelSession(OrtEnvironment env, OrtSession session, Path modelFile) throws OrtException {
        this.env = env;
        this.session = session;
        this.modelFile = modelFile;
        this.label = label(modelFile);
        this.signature = new ModelSignature(specs(session.getInputInfo(), true), specs(session.getOutputInfo(), false));
        this.sizeBytes = fileSize(modelFile);
        Map<String, List<String>> names = new HashMap<>();
        symbolicDims.forEach((input, dims) ->
                names.put(input, java.util.Collections.unmodifiableList(java.util.Arrays.asList(dims.clone()))));
        this.dimensionNames = Map.copyOf(names);
        this.allOutputs = signature.outputs().stream().map(TensorSpec::name).toList();
        this.allOutputSet = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(allOutputs));
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public long sizeBytes() {
        return sizeBytes;
    }

    @Override
    public Map<String, List<String>> dimensionNames() {
        return dimensionNames;
    }

    /** The model file this session was loaded from. */
    public Path modelFile() {
        return modelFile;
    }

    @Override
    public List<Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
        List<String> wanted = outputNames.isEmpty() ? allOutputs : outputNames;
        lock.readLock().lock();
        Map<String, OnnxTensor> ortInputs = new HashMap<>();
        try {
            if (closed) {
                throw new UnavailableException(label + " has been unloaded");
            }
            NativeStaging staging = NativeStaging.forCurrentThread(OrtTensors.stagingBytes(inputs.values()));
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                ortInputs.put(e.getKey(), OrtTensors.toOrt(env, e.getValue().withName(e.getKey()), staging));
            }
            try (OrtSession.Result result =
                    session.run(ortInputs, wanted.equals(allOutputs) ? allOutputSet : new LinkedHashSet<>(wanted))) {
                List<Tensor> outputs = new ArrayList<>(wanted.size());
                for (String name : wanted) {
                    OnnxValue value = result.get(name)
                            .orElseThrow(() -> new InternalException(
                                    "ONNX Runtime returned no output '" + name + "' for " + label));
                    if (!(value instanceof OnnxTensor tensor)) {
                        throw new InternalException(
                                "output '" + name + "' of " + label + " is a " + value.getType() + ", not a tensor");
                    }
                    outputs.add(OrtTensors.fromOrt(name, tensor));
                }
                return outputs;
            }
        } catch (OrtException e) {
            throw translateRun(e);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new InternalException("inference failed for " + label + ": " + e.getMessage(), e);
        } finally {
            ortInputs.values().forEach(OnnxTensor::close);
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            session.close();
        } catch (OrtException e) {
            log.warn("closing ONNX Runtime session for {} failed: {}", modelFile, e.getMessage());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * How messages that reach clients name a model: {@code model 'm' version v} for a repository layout
     * ({@code .../m/v/model.onnx}), else the file name; the server's directories stay out of them.
     */
    static String label(Path modelFile) {
        Path version = modelFile.getParent();
        Path model = version == null ? null : version.getParent();
        if (model != null
                && model.getFileName() != null
                && version.getFileName().toString().matches("\\d+")) {
            return "model '" + model.getFileName() + "' version " + version.getFileName();
        }
        return "model file " + modelFile.getFileName();
    }

    /** Input-related ONNX Runtime errors become client errors; everything else is internal. */
    static PierException translate(OrtException e, String context) {
        String message = context + ": " + e.getMessage();
        return switch (e.getCode()) {
            case ORT_INVALID_ARGUMENT, ORT_INVALID_PROTOBUF, ORT_INVALID_GRAPH, ORT_NO_SUCHFILE, ORT_NO_MODEL ->
                new InvalidInputException(message, e);
            default -> new InternalException(message, e);
        };
    }

    /**
     * A run error after validation can still be the request's fault: dynamic dimensions that fit the
     * signature one by one but not each other (two inputs with different batch sizes, a Reshape that
     * cannot apply). ONNX Runtime reports those as runtime failures naming shapes; they become client errors.
     */
    private PierException translateRun(OrtException e) {
        String msg = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        boolean shapeProblem = msg.contains("broadcast")
                || msg.contains("dimension")
                || msg.contains("shape")
                || msg.contains("invalid input")
                || msg.contains("invalid_argument");
        boolean runtimeFailure = e.getCode() == OrtException.OrtErrorCode.ORT_RUNTIME_EXCEPTION
                || e.getCode() == OrtException.OrtErrorCode.ORT_FAIL;
        if (runtimeFailure && shapeProblem) {
            return new InvalidInputException("the inputs do not fit together for " + label + ": " + e.getMessage(), e);
        }
        return translate(e, "inference failed for " + label);
    }

    private List<TensorSpec> specs(Map<String, NodeInfo> infos, boolean inputs) {
        List<TensorSpec> specs = new ArrayList<>();
        for (NodeInfo node : infos.values()) {
            if (!(node.getInfo() instanceof TensorInfo info)) {
                String what = (inputs ? "input '" : "output '") + node.getName() + "' of " + modelFile + " is "
                        + node.getInfo() + "; Pier serves tensors only";
                if (inputs) {
                    throw new InvalidInputException(what);
                }
                log.warn("{}; the output is left out of the signature", what);
                continue;
            }
            DataType type = OrtTensors.dataType(info)
                    .orElseThrow(() -> new InvalidInputException(
                            (inputs ? "input '" : "output '") + node.getName() + "' of " + modelFile + " has ONNX type "
                                    + info.onnxType + ", which has no KServe V2 datatype"));
            if (inputs && info.getDimensionNames() != null) {
                symbolicDims.put(node.getName(), info.getDimensionNames());
            }
            long[] dims = info.getShape();
            for (int i = 0; i < dims.length; i++) {
                if (dims[i] < 0) {
                    dims[i] = Shape.DYNAMIC;
                }
            }
            specs.add(new TensorSpec(node.getName(), type, Shape.of(dims)));
        }
        return specs;
    }

    private static long fileSize(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
