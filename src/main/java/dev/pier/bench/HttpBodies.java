package dev.pier.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.pier.api.InferRequest;
import dev.pier.api.Tensor;
import dev.pier.protocol.codec.Json;
import dev.pier.protocol.kserve.V2Codec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request bodies encoded once, before the load starts, so the load generator spends its CPU on sending.
 * Immutable.
 *
 * @param path    request path, e.g. {@code /v2/models/mnist/infer}
 * @param headers headers every request carries (content type, binary header length)
 * @param bodies  the bodies cycled through; with the binary extension each has its own JSON header length
 */
public record HttpBodies(String path, List<Map<String, String>> headers, List<byte[]> bodies) {

    public HttpBodies {
        headers = List.copyOf(headers);
        bodies = List.copyOf(bodies);
        if (bodies.isEmpty() || bodies.size() != headers.size()) {
            throw new IllegalArgumentException("need one header set per body and at least one body");
        }
    }

    /** KServe V2 REST bodies, JSON or in the binary extension (outputs then come back binary too). */
    public static HttpBodies v2(String model, List<InferRequest> requests, boolean binary) {
        List<Map<String, String>> headers = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (InferRequest r : requests) {
            InferRequest toSend = r;
            if (binary) {
                Map<String, Object> params = new LinkedHashMap<>(r.parameters());
                params.put("binary_data_output", Boolean.TRUE);
                toSend = new InferRequest(r.id(), r.model(), r.version(), r.inputs(), r.outputs(), params);
            }
            V2Codec.Encoded e = V2Codec.encodeRequest(toSend, binary);
            bodies.add(e.body());
            headers.add(
                    e.binary()
                            ? Map.of(
                                    "Content-Type",
                                    "application/octet-stream",
                                    V2Codec.HEADER_LENGTH,
                                    Integer.toString(e.jsonLength()))
                            : Map.of("Content-Type", "application/json"));
        }
        return new HttpBodies("/v2/models/" + enc(model) + "/infer", headers, bodies);
    }

    /** TF Serving {@code :predict} bodies in row format: {@code {"instances": [row]}}. */
    public static HttpBodies tfServing(String model, List<InferRequest> requests) {
        List<byte[]> bodies = new ArrayList<>();
        for (InferRequest r : requests) {
            bodies.add(instances(r.inputs()));
        }
        return tfServingRaw(model, bodies);
    }

    /** TF Serving bodies exactly as given (from {@code --input FILE}). */
    public static HttpBodies tfServingRaw(String model, List<byte[]> bodies) {
        List<Map<String, String>> headers = new ArrayList<>();
        bodies.forEach(b -> headers.add(Map.of("Content-Type", "application/json")));
        return new HttpBodies("/v1/models/" + enc(model) + ":predict", headers, bodies);
    }

    static byte[] instances(List<Tensor> inputs) {
        long rows = inputs.get(0).shape().dim(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("instances");
            for (int row = 0; row < rows; row++) {
                if (inputs.size() == 1) {
                    writeRow(g, inputs.get(0), row);
                } else {
                    g.writeStartObject();
                    for (Tensor t : inputs) {
                        g.writeFieldName(t.name());
                        writeRow(g, t, row);
                    }
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeRow(JsonGenerator g, Tensor t, int row) throws IOException {
        long[] dims = t.shape().toArray();
        int rowSize = 1;
        for (int i = 1; i < dims.length; i++) {
            rowSize *= (int) dims[i];
        }
        double[] values = numbers(t);
        int[] pos = {row * rowSize};
        writeNested(g, values, dims, 1, pos, t.datatype().isFloatingPoint());
    }

    private static void writeNested(JsonGenerator g, double[] v, long[] dims, int axis, int[] pos, boolean fp)
            throws IOException {
        if (axis == dims.length) {
            double x = v[pos[0]++];
            if (fp) {
                g.writeNumber((float) x);
            } else {
                g.writeNumber((long) x);
            }
            return;
        }
        g.writeStartArray();
        for (long i = 0; i < dims[axis]; i++) {
            writeNested(g, v, dims, axis + 1, pos, fp);
        }
        g.writeEndArray();
    }

    private static double[] numbers(Tensor t) {
        return switch (t.datatype()) {
            case FP32 -> {
                float[] f = t.floats();
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    d[i] = f[i];
                }
                yield d;
            }
            case FP64 -> t.doubles();
            case INT32 -> java.util.Arrays.stream(t.ints()).asDoubleStream().toArray();
            case INT64 -> java.util.Arrays.stream(t.longs()).asDoubleStream().toArray();
            default ->
                throw new IllegalArgumentException(
                        "cannot write a TF Serving body for input '" + t.name() + "' of type " + t.datatype()
                                + " (FP32, FP64, INT32, INT64 supported); give one with --input FILE");
        };
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
