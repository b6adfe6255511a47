package dev.pier.predict;

import dev.pier.api.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * One output as the table shows it, whichever protocol it came over: name, datatype (V2 name, or
 * {@code "JSON"} for TF Serving answers, which carry no types), shape and values (numbers, or text for BYTES).
 * Immutable.
 */
public record OutputValues(String name, String datatype, long[] shape, double[] numbers, List<String> texts) {

    public boolean numeric() {
        return numbers != null;
    }

    static OutputValues of(Tensor t) {
        long[] shape = t.shape().toArray();
        return switch (t.datatype()) {
            case BYTES -> new OutputValues(t.name(), "BYTES", shape, null, t.strings());
            case FP32 -> new OutputValues(t.name(), "FP32", shape, widen(t.floats()), null);
            case FP64 -> new OutputValues(t.name(), "FP64", shape, t.doubles(), null);
            case INT64 ->
                new OutputValues(
                        t.name(),
                        "INT64",
                        shape,
                        java.util.Arrays.stream(t.longs()).asDoubleStream().toArray(),
                        null);
            case INT32 ->
                new OutputValues(
                        t.name(),
                        "INT32",
                        shape,
                        java.util.Arrays.stream(t.ints()).asDoubleStream().toArray(),
                        null);
            default -> new OutputValues(t.name(), t.datatype().wireName(), shape, null, text(t));
        };
    }

    private static double[] widen(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static List<String> text(Tensor t) {
        // other types: let the V2 JSON writer spell each element (bool, unsigned, fp16...)
        List<String> out = new ArrayList<>();
        java.io.StringWriter w = new java.io.StringWriter();
        try (var g = dev.pier.protocol.codec.Json.FACTORY.createGenerator(w)) {
            new dev.pier.protocol.codec.TensorWriter(t, dev.pier.protocol.codec.TensorWriter.StringStyle.TEXT)
                    .writeFlat(g);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String s = w.toString();
        for (String part : s.substring(1, s.length() - 1).split(",")) {
            if (!part.isEmpty()) {
                out.add(part);
            }
        }
        return out;
    }
}
