package dev.pier.compress.quantize;

import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.data.LabeledData;
import dev.pier.onnx.OnnxModelFiles;
import dev.pier.onnx.proto.ModelProto;
import dev.pier.onnx.proto.TensorProto;
import dev.pier.onnx.proto.TypeProto;
import dev.pier.onnx.proto.ValueInfoProto;
import dev.pier.runtime.InferenceEngine;
import dev.pier.runtime.ModelSession;
import dev.pier.runtime.SessionOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures activation ranges: runs the float model on calibration data with the chosen intermediate tensors
 * exposed as extra graph outputs, and reduces each tensor's values to a [low, high] range (min/max, percentiles
 * to ignore outliers, or the KL-divergence threshold of {@link EntropyThreshold}). Ranges always include 0 so that zero is exactly representable (ONNX's
 * padding and ReLU rely on it). Stateless apart from the borrowed engine; thread-safe.
 */
final class Calibrator {
    /** Examples per calibration call. */
    private static final int BATCH = 100;

    private final InferenceEngine engine;

    Calibrator(InferenceEngine engine) {
        this.engine = engine;
    }

    /** Range per tensor name. */
    record Range(float low, float high) {}

    Map<String, Range> ranges(
            ModelProto model, String inputName, List<String> tensors, LabeledData data, QuantizeOptions options) {
        ModelProto exposed = expose(model, tensors);
        boolean keepAll = options.method() != QuantizeOptions.Method.MINMAX;
        // min-max needs only running extremes; percentile and entropy need every value (kept per tensor)
        Map<String, List<float[]>> values = new LinkedHashMap<>();
        Map<String, float[]> extremes = new LinkedHashMap<>();
        tensors.forEach(t -> {
            values.put(t, new ArrayList<>());
            extremes.put(t, new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
        });
        Path tmp = null;
        try {
            tmp = Files.createTempFile("pier-calibrate", ".onnx");
            OnnxModelFiles.save(exposed, tmp);
            try (ModelSession session = engine.load(tmp, SessionOptions.defaults())) {
                int per = data.exampleSize();
                for (int start = 0; start < data.count(); start += BATCH) {
                    int n = Math.min(BATCH, data.count() - start);
                    float[] x = Arrays.copyOfRange(data.features(), start * per, (start + n) * per);
                    long[] dims = new long[data.exampleShape().rank() + 1];
                    dims[0] = n;
                    for (int d = 0; d < data.exampleShape().rank(); d++) {
                        dims[d + 1] = data.exampleShape().dim(d);
                    }
                    List<Tensor> out =
                            session.run(Map.of(inputName, Tensor.ofFloats(inputName, Shape.of(dims), x)), tensors);
                    for (Tensor t : out) {
                        float[] v = t.floats();
                        float[] e = extremes.get(t.name());
                        for (float f : v) {
                            e[0] = Math.min(e[0], f);
                            e[1] = Math.max(e[1], f);
                        }
                        if (keepAll) {
                            values.get(t.name()).add(v);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the calibration model: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a stray temp file is harmless
                }
            }
        }
        Map<String, Range> ranges = new LinkedHashMap<>();
        for (String name : tensors) {
            float[] e = extremes.get(name);
            ranges.put(
                    name,
                    keepAll
                            ? reduce(values.get(name), options)
                            : e[0] > e[1] ? new Range(0, 0) : new Range(Math.min(0, e[0]), Math.max(0, e[1])));
        }
        return ranges;
    }

    static Range reduce(List<float[]> chunks, QuantizeOptions options) {
        int total = chunks.stream().mapToInt(c -> c.length).sum();
        float[] all = new float[total];
        int at = 0;
        for (float[] c : chunks) {
            System.arraycopy(c, 0, all, at, c.length);
            at += c.length;
        }
        float low = Float.POSITIVE_INFINITY;
        float high = Float.NEGATIVE_INFINITY;
        for (float v : all) {
            low = Math.min(low, v);
            high = Math.max(high, v);
        }
        if (total == 0) {
            low = 0;
            high = 0;
        } else if (options.method() == QuantizeOptions.Method.PERCENTILE) {
            Arrays.sort(all);
            double q = options.percentile() / 100.0;
            high = all[(int) Math.min(total - 1, Math.round(q * (total - 1)))];
            low = all[(int) Math.max(0, Math.round((1 - q) * (total - 1)))];
        } else if (options.method() == QuantizeOptions.Method.ENTROPY) {
            // a one-signed tensor spends all 255 uint8 steps on one side of zero, a two-signed one about half
            float t = EntropyThreshold.threshold(all, low >= 0 || high <= 0 ? 255 : 128);
            low = Math.max(low, -t);
            high = Math.min(high, t);
        }
        return new Range(Math.min(0, low), Math.max(0, high));
    }

    private static ModelProto expose(ModelProto model, List<String> tensors) {
        var g = model.getGraph().toBuilder();
        java.util.Set<String> existing = new java.util.HashSet<>();
        g.getOutputList().forEach(o -> existing.add(o.getName()));
        for (String t : tensors) {
            if (!existing.contains(t)) {
                g.addOutput(ValueInfoProto.newBuilder()
                        .setName(t)
                        .setType(TypeProto.newBuilder()
                                .setTensorType(
                                        TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
            }
        }
        return model.toBuilder().setGraph(g).build();
    }
}
