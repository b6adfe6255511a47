package dev.pier.protocol;

import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.InferenceService;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelMetadata;
import dev.pier.api.ModelNotFoundException;
import dev.pier.api.ModelSignature;
import dev.pier.api.ModelState;
import dev.pier.api.ModelVersionStatus;
import dev.pier.api.PierException;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Test double for the serving core: each configured model answers with its inputs renamed to the signature's
 * outputs (input i becomes output i). It validates requests against the signature as the real core does, and
 * completes on its own worker thread so the protocols must hop back to their Vert.x context.
 */
public final class EchoInferenceService implements InferenceService, AutoCloseable {
    private final Map<String, ModelSignature> models = new TreeMap<>();
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    public volatile boolean live = true;
    public volatile boolean ready = true;
    public volatile PierException failure;
    /**
     * Completes on the calling thread instead of a worker (as the batcher does for a short call run inline on the
     * caller's event loop), so protocols' same-thread answer path is exercised too.
     */
    public volatile boolean completesInline;

    public final AtomicReference<InferRequest> lastRequest = new AtomicReference<>();
    public static final long VERSION = 3;

    public EchoInferenceService model(String name, List<TensorSpec> inputs, List<TensorSpec> outputs) {
        models.put(name, new ModelSignature(inputs, outputs));
        return this;
    }

    @Override
    public CompletionStage<InferResponse> infer(InferRequest request) {
        ModelSignature sig = signature(request.model(), request.version());
        lastRequest.set(request);
        Supplier<InferResponse> answer = () -> {
            if (failure != null) {
                throw failure;
            }
            List<Tensor> outputs = new ArrayList<>();
            for (Tensor t : request.inputs()) {
                if (sig.input(t.name()).isEmpty()) {
                    throw new InvalidInputException("unknown input '" + t.name() + "'");
                }
            }
            for (int i = 0; i < sig.inputs().size(); i++) {
                TensorSpec spec = sig.inputs().get(i);
                Tensor in = request.inputs().stream()
                        .filter(t -> t.name().equals(spec.name()))
                        .findFirst()
                        .orElseThrow(() -> new InvalidInputException("missing input '" + spec.name() + "'"));
                if (in.datatype() != spec.datatype()) {
                    throw new InvalidInputException("input '" + spec.name() + "' expects datatype " + spec.datatype()
                            + " but got " + in.datatype());
                }
                if (!in.shape().fits(spec.shape())) {
                    throw new InvalidInputException(
                            "input '" + spec.name() + "' expects shape " + spec.shape() + " but got " + in.shape());
                }
                String outName = sig.outputs().get(i).name();
                if (request.outputs().isEmpty()
                        || request.outputs().stream().anyMatch(o -> o.name().equals(outName))) {
                    outputs.add(in.withName(outName));
                }
            }
            return new InferResponse(request.id(), request.model(), VERSION, outputs, Map.of());
        };
        if (completesInline) {
            try {
                return CompletableFuture.completedFuture(answer.get());
            } catch (PierException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return CompletableFuture.supplyAsync(answer, workers);
    }

    private ModelSignature signature(String model, OptionalLong version) {
        ModelSignature sig = models.get(model);
        if (sig == null) {
            throw new ModelNotFoundException("unknown model '" + model + "'");
        }
        if (version.isPresent() && version.getAsLong() != VERSION) {
            throw new ModelNotFoundException("model '" + model + "' has no version " + version.getAsLong());
        }
        return sig;
    }

    @Override
    public ModelMetadata metadata(String model, OptionalLong version) {
        return new ModelMetadata(
                model, VERSION, List.of(VERSION), ModelMetadata.ONNX_PLATFORM, signature(model, version), Map.of());
    }

    @Override
    public List<ModelVersionStatus> status(String model, OptionalLong version) {
        signature(model, version);
        List<ModelVersionStatus> out = new ArrayList<>();
        out.add(new ModelVersionStatus(model, VERSION, ModelState.AVAILABLE, ""));
        if (version.isEmpty()) {
            out.add(new ModelVersionStatus(model, 2, ModelState.FAILED, "bad onnx file"));
        }
        return out;
    }

    @Override
    public boolean isModelReady(String model, OptionalLong version) {
        return ready && models.containsKey(model) && (version.isEmpty() || version.getAsLong() == VERSION);
    }

    @Override
    public boolean isLive() {
        return live;
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public List<String> modelNames() {
        return List.copyOf(models.keySet());
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
