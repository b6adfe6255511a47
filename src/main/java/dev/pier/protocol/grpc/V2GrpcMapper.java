package dev.pier.protocol.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.pier.api.DataType;
import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.InvalidInputException;
import dev.pier.api.ModelMetadata;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorData;
import dev.pier.api.TensorSpec;
import dev.pier.protocol.codec.RawTensors;
import dev.pier.protocol.grpc.v2.InferParameter;
import dev.pier.protocol.grpc.v2.ModelInferRequest;
import dev.pier.protocol.grpc.v2.ModelInferResponse;
import dev.pier.protocol.grpc.v2.ModelMetadataResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Maps V2 gRPC messages to and from the {@link dev.pier.api} types, in both directions (server and
 * {@link dev.pier.protocol.client.GrpcV2Client}). Inputs come from {@code raw_input_contents} when present
 * (then one entry per input, in order) or from each input's typed contents; responses carry outputs as
 * {@code raw_output_contents}, as Triton does. Stateless; thread-safe.
 */
public final class V2GrpcMapper {
    private V2GrpcMapper() {}

    public static OptionalLong version(String text) {
        if (text == null || text.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long v = Long.parseLong(text.trim());
            if (v > 0) {
                return OptionalLong.of(v);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException(
                "model_version must be empty (latest) or a positive integer, got '" + text + "'");
    }

    public static InferRequest toInferRequest(ModelInferRequest r) {
        if (r.getModelName().isEmpty()) {
            throw new InvalidInputException("model_name is required");
        }
        OptionalLong version = version(r.getModelVersion());
        int raw = r.getRawInputContentsCount();
        if (raw > 0 && raw != r.getInputsCount()) {
            throw new InvalidInputException("raw_input_contents has " + raw + " entries but there are "
                    + r.getInputsCount() + " inputs; send one entry per input, in order, or none");
        }
        List<Tensor> inputs = new ArrayList<>(r.getInputsCount());
        for (int i = 0; i < r.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor in = r.getInputs(i);
            String name = in.getName().isEmpty() ? null : in.getName();
            if (name == null) {
                throw new InvalidInputException("input " + i + ": name is required");
            }
            DataType type = datatype(name, in.getDatatype());
            Shape shape = shape(name, in.getShapeList());
            if (raw > 0) {
                if (in.hasContents() && hasContents(in.getContents())) {
                    throw new InvalidInputException(
                            "input '" + name + "' has both contents and raw_input_contents;" + " send one of them");
                }
                // a view of the bytes, not a copy: parsed with aliasing (LenientDecoder), they are the request
                // body's own bytes, which nothing writes to again
                inputs.add(RawTensors.decode(
                        name, type, shape, r.getRawInputContents(i).asReadOnlyByteBuffer()));
            } else {
                inputs.add(TensorContents.decode(name, type, shape, in.getContents()));
            }
        }
        List<InferRequest.RequestedOutput> outputs;
        if (r.getOutputsCount() == 0) {
            outputs = List.of();
        } else {
            outputs = new ArrayList<>(r.getOutputsCount());
            for (ModelInferRequest.InferRequestedOutputTensor o : r.getOutputsList()) {
                outputs.add(new InferRequest.RequestedOutput(o.getName(), parameters(o.getParametersMap())));
            }
        }
        String id = r.getId().isEmpty() ? null : r.getId();
        return new InferRequest(id, r.getModelName(), version, inputs, outputs, parameters(r.getParametersMap()));
    }

    public static ModelInferResponse toProto(InferResponse response) {
        ModelInferResponse.Builder b = ModelInferResponse.newBuilder()
                .setModelName(response.model())
                .setModelVersion(Long.toString(response.version()));
        if (!response.parameters().isEmpty()) {
            b.putAllParameters(protoParameters(response.parameters()));
        }
        if (response.id() != null) {
            b.setId(response.id());
        }
        for (Tensor t : response.outputs()) {
            ModelInferResponse.InferOutputTensor.Builder o = ModelInferResponse.InferOutputTensor.newBuilder()
                    .setName(t.name())
                    .setDatatype(t.datatype().wireName());
            for (int d = 0; d < t.shape().rank(); d++) {
                o.addShape(t.shape().dim(d));
            }
            b.addOutputs(o);
            b.addRawOutputContents(raw(t));
        }
        return b.build();
    }

    /**
     * The raw encoding of a tensor as a ByteString: a fixed-width tensor's own (read-only) bytes wrapped, not
     * copied, so serializing the message is the one copy into the response; BYTES are encoded once.
     */
    static ByteString raw(Tensor t) {
        if (t.data() instanceof TensorData.Packed p) {
            return UnsafeByteOperations.unsafeWrap(p.view());
        }
        return UnsafeByteOperations.unsafeWrap(RawTensors.encode(t));
    }

    /** Client side: a request with every input in raw_input_contents. */
    public static ModelInferRequest toProto(InferRequest request) {
        ModelInferRequest.Builder b = ModelInferRequest.newBuilder()
                .setModelName(request.model())
                .setModelVersion(
                        request.version().isPresent()
                                ? Long.toString(request.version().getAsLong())
                                : "")
                .putAllParameters(protoParameters(request.parameters()));
        if (request.id() != null) {
            b.setId(request.id());
        }
        for (Tensor t : request.inputs()) {
            b.addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                    .setName(t.name())
                    .setDatatype(t.datatype().wireName())
                    .addAllShape(boxed(t.shape())));
            b.addRawInputContents(raw(t));
        }
        for (InferRequest.RequestedOutput o : request.outputs()) {
            b.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                    .setName(o.name())
                    .putAllParameters(protoParameters(o.parameters())));
        }
        return b.build();
    }

    /** Client side: outputs from raw_output_contents or typed contents. */
    public static InferResponse fromProto(ModelInferResponse r) {
        int raw = r.getRawOutputContentsCount();
        List<Tensor> outputs = new ArrayList<>();
        for (int i = 0; i < r.getOutputsCount(); i++) {
            ModelInferResponse.InferOutputTensor o = r.getOutputs(i);
            DataType type = datatype(o.getName(), o.getDatatype());
            Shape shape = shape(o.getName(), o.getShapeList());
            if (i < raw) {
                outputs.add(RawTensors.decode(
                        o.getName(), type, shape, r.getRawOutputContents(i).asReadOnlyByteBuffer()));
            } else {
                outputs.add(TensorContents.decode(o.getName(), type, shape, o.getContents()));
            }
        }
        long version = r.getModelVersion().isEmpty() ? 0 : Long.parseLong(r.getModelVersion());
        return new InferResponse(
                r.getId().isEmpty() ? null : r.getId(),
                r.getModelName(),
                version,
                outputs,
                parameters(r.getParametersMap()));
    }

    public static ModelMetadataResponse toProto(ModelMetadata m) {
        ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder()
                .setName(m.name())
                .setPlatform(m.platform())
                .putAllProperties(m.properties());
        m.versions().forEach(v -> b.addVersions(Long.toString(v)));
        m.signature().inputs().forEach(s -> b.addInputs(spec(s)));
        m.signature().outputs().forEach(s -> b.addOutputs(spec(s)));
        return b.build();
    }

    private static ModelMetadataResponse.TensorMetadata spec(TensorSpec s) {
        return ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(s.name())
                .setDatatype(s.datatype().wireName())
                .addAllShape(boxed(s.shape()))
                .build();
    }

    static Map<String, Object> parameters(Map<String, InferParameter> in) {
        if (in.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        in.forEach((k, p) -> {
            Object v = switch (p.getParameterChoiceCase()) {
                case BOOL_PARAM -> p.getBoolParam();
                case INT64_PARAM -> p.getInt64Param();
                case STRING_PARAM -> p.getStringParam();
                case DOUBLE_PARAM -> p.getDoubleParam();
                case UINT64_PARAM -> p.getUint64Param();
                case PARAMETERCHOICE_NOT_SET -> null;
            };
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    static Map<String, InferParameter> protoParameters(Map<String, Object> in) {
        Map<String, InferParameter> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(
                k,
                switch (v) {
                    case Boolean b ->
                        InferParameter.newBuilder().setBoolParam(b).build();
                    case Long l -> InferParameter.newBuilder().setInt64Param(l).build();
                    case Integer i ->
                        InferParameter.newBuilder().setInt64Param(i).build();
                    case Double d ->
                        InferParameter.newBuilder().setDoubleParam(d).build();
                    case Float f ->
                        InferParameter.newBuilder().setDoubleParam(f).build();
                    default ->
                        InferParameter.newBuilder()
                                .setStringParam(String.valueOf(v))
                                .build();
                }));
        return out;
    }

    private static boolean hasContents(dev.pier.protocol.grpc.v2.InferTensorContents c) {
        return c.getBoolContentsCount()
                        + c.getIntContentsCount()
                        + c.getInt64ContentsCount()
                        + c.getUintContentsCount()
                        + c.getUint64ContentsCount()
                        + c.getFp32ContentsCount()
                        + c.getFp64ContentsCount()
                        + c.getBytesContentsCount()
                > 0;
    }

    private static DataType datatype(String name, String text) {
        return DataType.fromWireName(text)
                .orElseThrow(() -> new InvalidInputException("tensor '" + name
                        + "': unknown datatype '" + text + "'; expected one of "
                        + Arrays.stream(DataType.values()).map(DataType::name).collect(Collectors.joining(", "))));
    }

    private static Shape shape(String name, List<Long> dims) {
        long[] out = new long[dims.size()];
        long product = 1;
        for (int i = 0; i < out.length; i++) {
            out[i] = dims.get(i);
            if (out[i] < 0) {
                throw new InvalidInputException("tensor '" + name + "': shape " + dims + " has negative dimension "
                        + out[i] + "; a request needs concrete dimensions");
            }
            // exact: a plain multiply can wrap past the check below (e.g. [3, 2^62]) and fail later with a 500
            product = out[i] > Integer.MAX_VALUE && product != 0 ? Long.MAX_VALUE : product * out[i];
            if (product > Integer.MAX_VALUE) {
                throw new InvalidInputException(
                        "tensor '" + name + "': shape " + dims + " has more elements than" + " a tensor can hold");
            }
        }
        return Shape.of(out);
    }

    private static List<Long> boxed(Shape s) {
        return Arrays.stream(s.toArray()).boxed().toList();
    }
}
