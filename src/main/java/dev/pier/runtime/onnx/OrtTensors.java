package dev.pier.runtime.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorData;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Converts between Pier {@link Tensor}s and ONNX Runtime {@link OnnxTensor}s. Fixed-width data crosses as
 * packed bytes: a direct buffer is handed to ONNX Runtime as is, a heap buffer is copied once in bulk into
 * native memory; no element is converted one by one. Stateless and thread-safe; callers own (and must close)
 * the OnnxTensors created here.
 */
final class OrtTensors {
    private OrtTensors() {}

    /** The V2 type of an ONNX Runtime tensor type; empty for types V2 cannot express. */
    static Optional<DataType> dataType(TensorInfo info) {
        // OnnxTensorType.value is the Java binding's own numbering, not ONNX's; match by element name.
        return Optional.ofNullable(
                switch (info.onnxType) {
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> DataType.BOOL;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> DataType.UINT8;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> DataType.UINT16;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> DataType.UINT32;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> DataType.UINT64;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> DataType.INT8;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> DataType.INT16;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> DataType.INT32;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> DataType.INT64;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> DataType.FP16;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> DataType.BF16;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> DataType.FP32;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> DataType.FP64;
                    case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> DataType.BYTES;
                    default -> null;
                });
    }

    static OnnxTensor toOrt(OrtEnvironment env, Tensor tensor) throws OrtException {
        return toOrt(env, tensor, null);
    }

    /** The heap bytes a run must stage in native memory for these inputs (direct buffers need none). */
    static long stagingBytes(Iterable<Tensor> inputs) {
        long n = 0;
        for (Tensor t : inputs) {
            if (t.data() instanceof TensorData.Packed p && !p.bytes().isDirect()) {
                n += p.byteLength();
            }
        }
        return n;
    }

    /**
     * As {@link #toOrt(OrtEnvironment, Tensor)}, copying a heap tensor into {@code staging} (when given) so that
     * ONNX Runtime uses that native memory in place; the OnnxTensor must be closed before the staging is reused.
     */
    static OnnxTensor toOrt(OrtEnvironment env, Tensor tensor, NativeStaging staging) throws OrtException {
        long[] shape = tensor.shape().toArray();
        if (tensor.datatype() == DataType.BYTES) {
            List<byte[]> elements = ((TensorData.Strings) tensor.data()).elements();
            String[] strings = new String[elements.size()];
            for (int i = 0; i < strings.length; i++) {
                strings[i] = new String(elements.get(i), StandardCharsets.UTF_8);
            }
            return OnnxTensor.createTensor(env, strings, shape);
        }
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("big-endian platforms are not supported: tensors are little-endian");
        }
        OnnxJavaType type = javaType(tensor);
        ByteBuffer bytes = tensor.packed().view();
        if (!bytes.isDirect()) {
            // ONNX Runtime reads native memory; one bulk copy of a heap buffer is the least it can take.
            if (staging != null) {
                bytes = staging.copy(bytes);
            } else {
                ByteBuffer direct = ByteBuffer.allocateDirect(bytes.remaining()).order(ByteOrder.nativeOrder());
                direct.put(bytes).flip();
                bytes = direct;
            }
        }
        return OnnxTensor.createTensor(env, bytes, shape, type);
    }

    private static OnnxJavaType javaType(Tensor tensor) {
        return switch (tensor.datatype()) {
            case BOOL -> OnnxJavaType.BOOL;
            case UINT8 -> OnnxJavaType.UINT8;
            case INT8 -> OnnxJavaType.INT8;
            case INT16 -> OnnxJavaType.INT16;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
            case FP16 -> OnnxJavaType.FLOAT16;
            case BF16 -> OnnxJavaType.BFLOAT16;
            case FP32 -> OnnxJavaType.FLOAT;
            case FP64 -> OnnxJavaType.DOUBLE;
            // ONNX Runtime's Java API has no way to create unsigned tensors wider than 8 bits.
            case UINT16, UINT32, UINT64 ->
                throw new InvalidInputException("input '" + tensor.name() + "' is "
                        + tensor.datatype() + ", which ONNX Runtime's Java API cannot pass to a model; "
                        + "supported input types are BOOL, UINT8, INT8..INT64, FP16, BF16, FP32, FP64 and BYTES");
            case BYTES -> throw new IllegalArgumentException("BYTES has no packed form");
        };
    }

    /** Copies an ONNX Runtime output into a Pier tensor (the native memory is freed by the caller). */
    static Tensor fromOrt(String name, OnnxTensor value) throws OrtException {
        TensorInfo info = value.getInfo();
        DataType type = dataType(info)
                .orElseThrow(() -> new IllegalStateException(
                        "output '" + name + "' has ONNX type " + info.onnxType + ", which has no V2 datatype"));
        Shape shape = Shape.of(info.getShape());
        if (type == DataType.BYTES) {
            List<String> flat = new ArrayList<>();
            flatten(value.getValue(), flat);
            return Tensor.ofStrings(name, shape, flat.toArray(String[]::new));
        }
        ByteBuffer copy = value.getByteBuffer(); // one bulk copy out of native memory, native (= little-endian) order
        if (copy == null) {
            throw new IllegalStateException("ONNX Runtime gave no data for output '" + name + "' of type " + type);
        }
        return new Tensor(name, type, shape, new TensorData.Packed(copy.order(ByteOrder.LITTLE_ENDIAN)));
    }

    private static void flatten(Object value, List<String> out) {
        if (value instanceof String s) {
            out.add(s);
        } else if (value != null && value.getClass().isArray()) {
            int n = Array.getLength(value);
            for (int i = 0; i < n; i++) {
                flatten(Array.get(value, i), out);
            }
        } else {
            throw new IllegalStateException("unexpected string tensor element " + value);
        }
    }
}
