package dev.pier.onnx;

import dev.pier.api.DataType;
import dev.pier.api.Shape;
import dev.pier.onnx.proto.GraphProto;
import dev.pier.onnx.proto.ModelProto;
import dev.pier.onnx.proto.NodeProto;
import dev.pier.onnx.proto.OperatorSetIdProto;
import dev.pier.onnx.proto.StringStringEntryProto;
import dev.pier.onnx.proto.TensorProto;
import dev.pier.onnx.proto.TensorShapeProto;
import dev.pier.onnx.proto.TypeProto;
import dev.pier.onnx.proto.ValueInfoProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A parsed ONNX model file: its protobuf, a {@link #summary()}, and its weights ({@link #initializerFloats}),
 * which compression reads. Immutable and thread-safe.
 */
public final class OnnxModel {
    private final Path file;
    private final long fileSizeBytes;
    private final ModelProto proto;

    OnnxModel(Path file, long fileSizeBytes, ModelProto proto) {
        this.file = file;
        this.fileSizeBytes = fileSizeBytes;
        this.proto = proto;
    }

    public Path file() {
        return file;
    }

    public ModelProto proto() {
        return proto;
    }

    public List<TensorProto> initializers() {
        return proto.getGraph().getInitializerList();
    }

    public Optional<TensorProto> initializer(String name) {
        return initializers().stream().filter(t -> t.getName().equals(name)).findFirst();
    }

    /** An initializer's values as floats; throws IllegalArgumentException for an unknown name or string tensor. */
    public float[] initializerFloats(String name) {
        TensorProto t = initializer(name)
                .orElseThrow(
                        () -> new IllegalArgumentException("model " + file + " has no initializer '" + name + "'"));
        return OnnxTensorValues.toFloats(t, modelDir());
    }

    /** Every numeric initializer's values by name, in file order. */
    public Map<String, float[]> initializerFloats() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (TensorProto t : initializers()) {
            if (t.getDataType() != TensorProto.DataType.STRING_VALUE) {
                out.put(t.getName(), OnnxTensorValues.toFloats(t, modelDir()));
            }
        }
        return out;
    }

    public OnnxModelSummary summary() {
        GraphProto g = proto.getGraph();
        Map<String, Long> opsets = new LinkedHashMap<>();
        for (OperatorSetIdProto o : proto.getOpsetImportList()) {
            opsets.put(o.getDomain(), o.getVersion());
        }
        Set<String> initializerNames = new HashSet<>();
        long params = 0;
        long nonZero = 0;
        for (TensorProto t : g.getInitializerList()) {
            initializerNames.add(t.getName());
            params += OnnxTensorValues.elementCount(t);
            nonZero += countNonZero(t);
        }
        List<OnnxValueInfo> inputs = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) {
            // Before IR 4, initializers were also listed as graph inputs; they are weights, not model inputs.
            if (!initializerNames.contains(v.getName())) {
                inputs.add(describe(v));
            }
        }
        List<OnnxValueInfo> outputs =
                g.getOutputList().stream().map(OnnxModel::describe).toList();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (StringStringEntryProto e : proto.getMetadataPropsList()) {
            metadata.put(e.getKey(), e.getValue());
        }
        return new OnnxModelSummary(
                file.toString(),
                fileSizeBytes,
                proto.getIrVersion(),
                proto.getProducerName(),
                proto.getProducerVersion(),
                g.getName(),
                opsets,
                inputs,
                outputs,
                g.getInitializerCount(),
                params,
                nonZero,
                g.getNodeCount(),
                histogram(g.getNodeList()),
                metadata);
    }

    private long countNonZero(TensorProto t) {
        if (t.getDataType() == TensorProto.DataType.STRING_VALUE) {
            return t.getStringDataList().stream().filter(s -> !s.isEmpty()).count();
        }
        try {
            long n = 0;
            for (float v : OnnxTensorValues.toFloats(t, modelDir())) {
                if (v != 0f) {
                    n++;
                }
            }
            return n;
        } catch (IllegalArgumentException e) {
            return OnnxTensorValues.elementCount(t); // types we cannot decode (float8, int4): count as non-zero
        }
    }

    private static Map<String, Integer> histogram(List<NodeProto> nodes) {
        Map<String, Integer> counts = new TreeMap<>();
        for (NodeProto n : nodes) {
            String key = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx")
                    ? n.getOpType()
                    : n.getDomain() + ":" + n.getOpType();
            counts.merge(key, 1, Integer::sum);
        }
        Map<String, Integer> sorted = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    static OnnxValueInfo describe(ValueInfoProto v) {
        TypeProto type = v.getType();
        if (type.hasTensorType()) {
            TypeProto.Tensor t = type.getTensorType();
            DataType dt = OnnxTypes.fromOnnx(t.getElemType()).orElse(null);
            if (!t.hasShape()) {
                return new OnnxValueInfo(v.getName(), OnnxTypes.onnxName(t.getElemType()), dt, null, null);
            }
            List<String> dims = new ArrayList<>();
            long[] shape = new long[t.getShape().getDimCount()];
            for (int i = 0; i < shape.length; i++) {
                TensorShapeProto.Dimension d = t.getShape().getDim(i);
                if (d.hasDimValue() && d.getDimValue() >= 0) {
                    dims.add(Long.toString(d.getDimValue()));
                    shape[i] = d.getDimValue();
                } else {
                    dims.add(d.hasDimParam() && !d.getDimParam().isEmpty() ? d.getDimParam() : "?");
                    shape[i] = Shape.DYNAMIC;
                }
            }
            return new OnnxValueInfo(v.getName(), OnnxTypes.onnxName(t.getElemType()), dt, dims, Shape.of(shape));
        }
        return new OnnxValueInfo(v.getName(), typeName(type), null, null, null);
    }

    private static String typeName(TypeProto t) {
        return switch (t.getValueCase()) {
            case TENSOR_TYPE -> "tensor(" + OnnxTypes.onnxName(t.getTensorType().getElemType()) + ")";
            case SEQUENCE_TYPE -> "sequence(" + typeName(t.getSequenceType().getElemType()) + ")";
            case MAP_TYPE ->
                "map(" + OnnxTypes.onnxName(t.getMapType().getKeyType()) + ", "
                        + typeName(t.getMapType().getValueType()) + ")";
            case OPTIONAL_TYPE -> "optional(" + typeName(t.getOptionalType().getElemType()) + ")";
            case SPARSE_TENSOR_TYPE ->
                "sparse_tensor(" + OnnxTypes.onnxName(t.getSparseTensorType().getElemType()) + ")";
            case VALUE_NOT_SET -> "unknown";
        };
    }

    private Path modelDir() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }
}
