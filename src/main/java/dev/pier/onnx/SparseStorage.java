package dev.pier.onnx;

import com.google.protobuf.ByteString;
import dev.pier.api.InvalidInputException;
import dev.pier.onnx.proto.GraphProto;
import dev.pier.onnx.proto.ModelProto;
import dev.pier.onnx.proto.SparseTensorProto;
import dev.pier.onnx.proto.TensorProto;
import dev.pier.onnx.proto.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;

/**
 * Stores mostly-zero weights as ONNX sparse initializers ({@code GraphProto.sparse_initializer}: the non-zero
 * values plus their linearized indices, COO), so a pruned model's file really shrinks; and turns them back into
 * dense initializers, so the rest of Pier (summaries, quantizers, the importer) only ever sees dense weights.
 * ONNX Runtime densifies sparse initializers when it loads a model, so serving is unchanged. Main graph only.
 * Stateless.
 */
public final class SparseStorage {
    /**
     * Index width. {@link #INT64} is what the ONNX standard (and {@code onnx.checker}) accepts; {@link #INT32}
     * halves the indices and ONNX Runtime reads it, other tools may not.
     */
    public enum IndexType {
        INT64(8, TensorProto.DataType.INT64),
        INT32(4, TensorProto.DataType.INT32);

        final int bytes;
        final TensorProto.DataType onnx;

        IndexType(int bytes, TensorProto.DataType onnx) {
            this.bytes = bytes;
            this.onnx = onnx;
        }
    }

    private SparseStorage() {}

    /**
     * Moves each dense initializer of rank ≥ 2 (weights, not biases or scales) into sparse storage when that is
     * smaller: non-zero count × (element + index bytes) below the dense bytes. Initializers listed as graph
     * inputs (overridable defaults), held outside the file or of types without a fixed width stay dense.
     */
    public static ModelProto sparsify(ModelProto model, IndexType indexType) {
        GraphProto g = model.getGraph();
        Set<String> inputs = new HashSet<>();
        for (ValueInfoProto v : g.getInputList()) {
            inputs.add(v.getName());
        }
        GraphProto.Builder out = g.toBuilder().clearInitializer();
        for (TensorProto t : g.getInitializerList()) {
            SparseTensorProto sparse = inputs.contains(t.getName()) ? null : compact(t, indexType);
            if (sparse == null) {
                out.addInitializer(t);
            } else {
                out.addSparseInitializer(sparse);
            }
        }
        return model.toBuilder().setGraph(out).build();
    }

    /** Every sparse initializer of the main graph as a dense one; a model without any is returned as is. */
    public static ModelProto densify(ModelProto model) {
        GraphProto g = model.getGraph();
        if (g.getSparseInitializerCount() == 0) {
            return model;
        }
        GraphProto.Builder out = g.toBuilder().clearSparseInitializer();
        for (SparseTensorProto s : g.getSparseInitializerList()) {
            out.addInitializer(expand(s));
        }
        return model.toBuilder().setGraph(out).build();
    }

    private static SparseTensorProto compact(TensorProto t, IndexType indexType) {
        int width = OnnxTypes.rawByteSize(t.getDataType());
        if (t.getDimsCount() < 2
                || width == 0
                || !t.hasRawData()
                || t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return null;
        }
        byte[] raw = t.getRawData().toByteArray();
        int n = raw.length / width;
        int nonZero = 0;
        for (int i = 0; i < n; i++) {
            nonZero += isZero(raw, i, width) ? 0 : 1;
        }
        if ((long) nonZero * (width + indexType.bytes) >= raw.length || n != OnnxTensorValues.elementCount(t)) {
            return null;
        }
        byte[] values = new byte[nonZero * width];
        ByteBuffer indices = ByteBuffer.allocate(nonZero * indexType.bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0, k = 0; i < n; i++) {
            if (!isZero(raw, i, width)) {
                System.arraycopy(raw, i * width, values, k++ * width, width);
                if (indexType == IndexType.INT64) {
                    indices.putLong(i);
                } else {
                    indices.putInt(i);
                }
            }
        }
        TensorProto valueTensor = TensorProto.newBuilder()
                .setName(t.getName())
                .setDataType(t.getDataType())
                .addDims(nonZero)
                .setRawData(ByteString.copyFrom(values))
                .build();
        TensorProto indexTensor = TensorProto.newBuilder()
                .setDataType(indexType.onnx.getNumber())
                .addDims(nonZero)
                .setRawData(ByteString.copyFrom(indices.flip()))
                .build();
        return SparseTensorProto.newBuilder()
                .setValues(valueTensor)
                .setIndices(indexTensor)
                .addAllDims(t.getDimsList())
                .build();
    }

    /** Bitwise zero: {@code -0.0} keeps its sign bit, so it is stored like any other value. */
    private static boolean isZero(byte[] raw, int element, int width) {
        for (int b = element * width; b < (element + 1) * width; b++) {
            if (raw[b] != 0) {
                return false;
            }
        }
        return true;
    }

    private static TensorProto expand(SparseTensorProto s) {
        TensorProto values = s.getValues();
        String name = values.getName();
        int width = OnnxTypes.rawByteSize(values.getDataType());
        if (width == 0 || values.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new InvalidInputException("sparse initializer '" + name + "' stores "
                    + OnnxTypes.onnxName(values.getDataType()) + " values" + (width == 0 ? "" : " in an external file")
                    + "; Pier reads sparse initializers of fixed-width types stored in the model");
        }
        long[] dims = s.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long n = OnnxTensors.elements(dims);
        byte[] dense = new byte[Math.toIntExact(Math.multiplyExact(n, width))];
        byte[] v = littleEndian(values, width);
        long[] positions = linearIndices(s, dims, name);
        if (v.length != positions.length * width) {
            throw new InvalidInputException("sparse initializer '" + name + "' has " + positions.length
                    + " indices but " + v.length / width + " values");
        }
        for (int k = 0; k < positions.length; k++) {
            if (positions[k] < 0 || positions[k] >= n) {
                throw new InvalidInputException("sparse initializer '" + name + "' has index " + positions[k]
                        + " outside its " + n + " elements");
            }
            System.arraycopy(v, k * width, dense, Math.toIntExact(positions[k] * width), width);
        }
        return TensorProto.newBuilder()
                .setName(name)
                .setDataType(values.getDataType())
                .addAllDims(s.getDimsList())
                .setRawData(ByteString.copyFrom(dense))
                .build();
    }

    /** The values as raw little-endian bytes, from raw_data or from the typed field the type uses. */
    private static byte[] littleEndian(TensorProto t, int width) {
        if (t.hasRawData()) {
            return t.getRawData().toByteArray();
        }
        long[] values = switch (TensorProto.DataType.forNumber(t.getDataType())) {
            case FLOAT ->
                t.getFloatDataList().stream()
                        .mapToLong(f -> Float.floatToRawIntBits(f))
                        .toArray();
            case DOUBLE ->
                t.getDoubleDataList().stream()
                        .mapToLong(Double::doubleToRawLongBits)
                        .toArray();
            case INT64 ->
                t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
            case UINT32, UINT64 ->
                t.getUint64DataList().stream().mapToLong(Long::longValue).toArray();
            // every narrower type (int8 … int32, bool, float16 bits) lives in int32_data
            default ->
                t.getInt32DataList().stream().mapToLong(Integer::longValue).toArray();
        };
        ByteBuffer out = ByteBuffer.allocate(values.length * width).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : values) {
            for (int b = 0; b < width; b++) {
                out.put((byte) (x >>> (8 * b)));
            }
        }
        return out.array();
    }

    /** Indices as linear positions: a [NNZ] tensor already is; a [NNZ, rank] tensor of coordinates is folded. */
    private static long[] linearIndices(SparseTensorProto s, long[] dims, String name) {
        TensorProto idx = s.getIndices();
        long[] flat = integers(idx, name);
        if (idx.getDimsCount() == 2 && idx.getDims(1) == dims.length && dims.length > 1) {
            int rank = dims.length;
            long[] out = new long[flat.length / rank];
            for (int k = 0; k < out.length; k++) {
                long p = 0;
                for (int d = 0; d < rank; d++) {
                    p = p * dims[d] + flat[k * rank + d];
                }
                out[k] = p;
            }
            return out;
        }
        return flat;
    }

    private static long[] integers(TensorProto idx, String name) {
        TensorProto.DataType type = TensorProto.DataType.forNumber(idx.getDataType());
        if (type != TensorProto.DataType.INT64
                && type != TensorProto.DataType.INT32
                && type != TensorProto.DataType.INT16
                && type != TensorProto.DataType.INT8) {
            throw new InvalidInputException("sparse initializer '" + name + "' has "
                    + OnnxTypes.onnxName(idx.getDataType()) + " indices; expected INT64 (or INT32, INT16, INT8)");
        }
        if (!idx.hasRawData()) {
            return type == TensorProto.DataType.INT64
                    ? idx.getInt64DataList().stream().mapToLong(Long::longValue).toArray()
                    : idx.getInt32DataList().stream()
                            .mapToLong(Integer::longValue)
                            .toArray();
        }
        ByteBuffer raw = idx.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int width = OnnxTypes.rawByteSize(idx.getDataType());
        long[] out = new long[raw.remaining() / width];
        for (int k = 0; k < out.length; k++) {
            out[k] = switch (width) {
                case 8 -> raw.getLong();
                case 4 -> raw.getInt();
                case 2 -> raw.getShort();
                default -> raw.get();
            };
        }
        return out;
    }
}
