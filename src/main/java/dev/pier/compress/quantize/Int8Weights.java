package dev.pier.compress.quantize;

import dev.pier.onnx.OnnxTensors;
import dev.pier.onnx.proto.TensorProto;

/**
 * Symmetric int8 weight quantization ({@code q = round(w / s)}, {@code s = max|w| / 127}, zero point 0), per
 * tensor or per slice along one axis. Symmetric so the integer kernels need no weight zero-point correction.
 * Immutable.
 *
 * @param values quantized weights, same layout as the input
 * @param scales one scale (per tensor) or one per slice of {@code axis}
 */
record Int8Weights(byte[] values, float[] scales) {

    static Int8Weights quantize(float[] w, long[] dims, int axis, boolean perChannel) {
        int channels = perChannel ? (int) dims[axis] : 1;
        long inner = 1;
        for (int d = axis + 1; d < dims.length; d++) {
            inner *= dims[d];
        }
        float[] maxAbs = new float[channels];
        for (int i = 0; i < w.length; i++) {
            int c = perChannel ? (int) ((i / inner) % channels) : 0;
            maxAbs[c] = Math.max(maxAbs[c], Math.abs(w[i]));
        }
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = maxAbs[c] > 0 ? maxAbs[c] / 127f : 1f;
        }
        byte[] q = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            int c = perChannel ? (int) ((i / inner) % channels) : 0;
            q[i] = (byte) Math.max(-127, Math.min(127, Math.round(w[i] / scales[c])));
        }
        return new Int8Weights(q, scales);
    }

    TensorProto valuesTensor(String name, long[] dims) {
        return OnnxTensors.packed(name, dev.pier.api.DataType.INT8, dims, values);
    }

    TensorProto scaleTensor(String name) {
        return scales.length == 1
                ? OnnxTensors.floats(name, new long[0], scales[0])
                : OnnxTensors.floats(name, new long[] {scales.length}, scales);
    }

    TensorProto zeroPointTensor(String name) {
        return scales.length == 1
                ? OnnxTensors.packed(name, dev.pier.api.DataType.INT8, new long[0], new byte[1])
                : OnnxTensors.packed(
                        name, dev.pier.api.DataType.INT8, new long[] {scales.length}, new byte[scales.length]);
    }
}
