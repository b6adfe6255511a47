package dev.pier.protocol.tfserving.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.Int64Value;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.InferenceService;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelMetadata;
import dev.pier.api.ModelNotFoundException;
import dev.pier.api.ModelSignature;
import dev.pier.api.ModelState;
import dev.pier.api.Tensor;
import dev.pier.api.TensorSpec;
import dev.pier.protocol.tfserving.TfPredictDecoder;
import dev.pier.protocol.tfserving.proto.Code;
import dev.pier.protocol.tfserving.proto.GetModelMetadataResponse;
import dev.pier.protocol.tfserving.proto.GetModelStatusResponse;
import dev.pier.protocol.tfserving.proto.ModelSpec;
import dev.pier.protocol.tfserving.proto.ModelVersionStatus;
import dev.pier.protocol.tfserving.proto.PredictRequest;
import dev.pier.protocol.tfserving.proto.PredictResponse;
import dev.pier.protocol.tfserving.proto.SignatureDef;
import dev.pier.protocol.tfserving.proto.SignatureDefMap;
import dev.pier.protocol.tfserving.proto.StatusProto;
import dev.pier.protocol.tfserving.proto.TensorInfo;
import dev.pier.protocol.tfserving.proto.TensorProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Maps TF Serving's gRPC messages to and from the {@link dev.pier.api} types: the model spec to a model and
 * version (a {@code version_label} through the model's labels), a PredictRequest to an {@link InferRequest}
 * checked against the pinned version's signature, and answers (predict, model metadata with a SignatureDefMap
 * packed in {@code Any}, model status) back. Stateless; thread-safe.
 */
final class TfGrpcMapper {
    static final String PREDICT_METHOD = "tensorflow/serving/predict";
    static final String SIGNATURE_DEF_FIELD = "signature_def";

    private TfGrpcMapper() {}

    /** The model named by a spec; INVALID_ARGUMENT when there is none (TF Serving: "Missing ModelSpec"). */
    static String model(boolean hasSpec, ModelSpec spec) {
        if (!hasSpec || spec.getName().isEmpty()) {
            throw new InvalidInputException("model_spec.name is required (the model to call)");
        }
        return spec.getName();
    }

    /** The asked version: a number, a label resolved through the model's version_labels, or empty (latest / split). */
    static OptionalLong version(ModelSpec spec, InferenceService service) {
        return switch (spec.getVersionChoiceCase()) {
            case VERSION -> {
                long v = spec.getVersion().getValue();
                if (v <= 0) {
                    throw new InvalidInputException("model_spec.version must be a positive version number, got " + v);
                }
                yield OptionalLong.of(v);
            }
            case VERSION_LABEL -> {
                Map<String, Long> labels = service.versionLabels(spec.getName());
                Long v = labels.get(spec.getVersionLabel());
                if (v == null) {
                    throw new ModelNotFoundException(
                            "model '" + spec.getName() + "' has no version label '" + spec.getVersionLabel()
                                    + "'; its labels are " + labels + " (config.yaml 'version_labels')");
                }
                yield OptionalLong.of(v);
            }
            case VERSIONCHOICE_NOT_SET -> OptionalLong.empty();
        };
    }

    /** Refuses any signature but the one Pier serves, with TF Serving's wording. */
    static void checkSignature(String name) {
        if (!name.isEmpty() && !name.equals(TfPredictDecoder.DEFAULT_SIGNATURE)) {
            throw new TfStatusException(
                    io.vertx.grpc.common.GrpcStatus.FAILED_PRECONDITION,
                    "Serving signature key \""
                            + name + "\" not found; Pier serves one signature per model, '"
                            + TfPredictDecoder.DEFAULT_SIGNATURE
                            + "' (or leave signature_name empty)");
        }
    }

    /** The request for the pinned version: every input decoded, the output filter checked against the signature. */
    static InferRequest toInferRequest(PredictRequest r, String model, long version, ModelSignature signature) {
        checkSignature(r.getModelSpec().getSignatureName());
        List<Tensor> inputs = new ArrayList<>(r.getInputsCount());
        for (Map.Entry<String, TensorProto> e : r.getInputsMap().entrySet()) {
            if (signature.input(e.getKey()).isEmpty()) {
                throw new InvalidInputException("input tensor alias not found in signature: '" + e.getKey()
                        + "'; inputs expected to be in the set " + names(signature.inputs()));
            }
            inputs.add(TfTensors.decode(e.getKey(), e.getValue()));
        }
        List<InferRequest.RequestedOutput> outputs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : r.getOutputFilterList()) {
            if (signature.output(name).isEmpty()) {
                throw new InvalidInputException("output tensor alias not found in signature: '" + name
                        + "'; outputs expected to be in the set " + names(signature.outputs()));
            }
            if (!seen.add(name)) {
                throw new InvalidInputException("duplicate output tensor alias '" + name + "' in output_filter");
            }
            outputs.add(new InferRequest.RequestedOutput(name, Map.of()));
        }
        return new InferRequest(null, model, OptionalLong.of(version), inputs, outputs, Map.of());
    }

    static PredictResponse toProto(InferResponse response) {
        PredictResponse.Builder b = PredictResponse.newBuilder()
                .setModelSpec(served(response.model(), response.version(), TfPredictDecoder.DEFAULT_SIGNATURE));
        for (Tensor t : response.outputs()) {
            b.putOutputs(t.name(), TfTensors.encode(t));
        }
        return b.build();
    }

    /** The spec of what served: TF Serving answers with the version it resolved, never the label asked. */
    static ModelSpec served(String model, long version, String signature) {
        return ModelSpec.newBuilder()
                .setName(model)
                .setVersion(Int64Value.of(version))
                .setSignatureName(signature)
                .build();
    }

    /** Model metadata as TF Serving answers for a SavedModel: a SignatureDefMap packed in Any under "signature_def". */
    static GetModelMetadataResponse toProto(ModelMetadata m) {
        SignatureDef.Builder def = SignatureDef.newBuilder().setMethodName(PREDICT_METHOD);
        m.signature().inputs().forEach(s -> def.putInputs(s.name(), info(s)));
        m.signature().outputs().forEach(s -> def.putOutputs(s.name(), info(s)));
        SignatureDefMap map = SignatureDefMap.newBuilder()
                .putSignatureDef(TfPredictDecoder.DEFAULT_SIGNATURE, def.build())
                .build();
        return GetModelMetadataResponse.newBuilder()
                .setModelSpec(served(m.name(), m.version(), ""))
                .putMetadata(SIGNATURE_DEF_FIELD, Any.pack(map))
                .build();
    }

    private static TensorInfo info(TensorSpec s) {
        return TensorInfo.newBuilder()
                .setName(s.name())
                .setDtype(TfTensors.dtype(s.datatype()))
                .setTensorShape(TfTensors.shapeProto(s.shape()))
                .build();
    }

    /** Version states with TF Serving's numbers; a failed version is END with its error, as TF Serving reports it. */
    static GetModelStatusResponse toProto(List<dev.pier.api.ModelVersionStatus> statuses) {
        GetModelStatusResponse.Builder b = GetModelStatusResponse.newBuilder();
        for (dev.pier.api.ModelVersionStatus s : statuses) {
            boolean failed = s.state() == ModelState.FAILED;
            b.addModelVersionStatus(ModelVersionStatus.newBuilder()
                    .setVersion(s.version())
                    .setState(state(s.state()))
                    .setStatus(StatusProto.newBuilder()
                            .setErrorCode(failed ? Code.UNKNOWN : Code.OK)
                            .setErrorMessage(s.error())));
        }
        return b.build();
    }

    static ModelVersionStatus.State state(ModelState s) {
        return switch (s) {
            case START -> ModelVersionStatus.State.START;
            case LOADING -> ModelVersionStatus.State.LOADING;
            case AVAILABLE -> ModelVersionStatus.State.AVAILABLE;
            case UNLOADING -> ModelVersionStatus.State.UNLOADING;
            case END, FAILED -> ModelVersionStatus.State.END;
        };
    }

    private static List<String> names(List<TensorSpec> specs) {
        return specs.stream().map(TensorSpec::name).toList();
    }
}
