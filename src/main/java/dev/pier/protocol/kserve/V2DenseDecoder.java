package dev.pier.protocol.kserve;

import dev.pier.api.DataType;
import dev.pier.api.InferRequest;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.api.TensorData;
import dev.pier.protocol.codec.ByteSlice;
import dev.pier.protocol.codec.DenseJson;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The V2 JSON body most clients send, read straight from the bytes by {@link DenseJson}: one FP32 input given as
 * {@code {"name", "shape", "datatype": "FP32", "data"}} (any field order, with an optional request {@code id}).
 * Any other body (several inputs, requested outputs, parameters, another datatype, a count that does not fit the
 * shape, anything unusual) returns null and {@link V2Codec} decodes it token by token, wording any error; both
 * give the same request. Stateless.
 */
final class V2DenseDecoder {
    private static final int MAX_RANK = 16;

    private V2DenseDecoder() {}

    static InferRequest decode(ByteSlice body, String model, OptionalLong version) {
        DenseJson in = new DenseJson(body, -1);
        if (!in.take('{')) {
            return null;
        }
        String id = null;
        Tensor input = null;
        do {
            String key = in.simpleString();
            if (key == null || !in.take(':')) {
                return null;
            }
            switch (key) {
                case "id" -> {
                    if ((id = in.simpleString()) == null) {
                        return null;
                    }
                }
                case "inputs" -> {
                    if (input != null || !in.take('[') || (input = tensor(in)) == null || !in.take(']')) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        } while (in.take(','));
        if (!in.take('}') || in.peek() != -1 || input == null) {
            return null;
        }
        return new InferRequest(id, model, version, List.of(input), List.of(), Map.of());
    }

    /** One tensor object; null unless it is an FP32 tensor with a name, a shape and data that fits it. */
    private static Tensor tensor(DenseJson in) {
        if (!in.take('{')) {
            return null;
        }
        String name = null;
        String datatype = null;
        long[] shape = null;
        long elements = -1;
        boolean data = false;
        do {
            String key = in.simpleString();
            if (key == null || !in.take(':')) {
                return null;
            }
            switch (key) {
                case "name" -> name = in.simpleString();
                case "datatype" -> datatype = in.simpleString();
                case "shape" -> {
                    if (shape != null || (shape = shape(in)) == null) {
                        return null;
                    }
                    elements = elements(shape);
                    in.expect(elements);
                }
                case "data" -> {
                    if (data || in.rows() < 0) {
                        return null;
                    }
                    data = true;
                }
                default -> {
                    return null;
                }
            }
        } while (in.take(','));
        if (!in.take('}')
                || name == null
                || name.isEmpty()
                || !"FP32".equals(datatype)
                || shape == null
                || !data
                || elements != in.count()) {
            return null;
        }
        return new Tensor(name, DataType.FP32, Shape.of(shape), new TensorData.Packed(in.packed()));
    }

    private static long[] shape(DenseJson in) {
        if (!in.take('[')) {
            return null;
        }
        long[] dims = new long[MAX_RANK];
        int n = 0;
        if (!in.take(']')) {
            do {
                long d = in.natural();
                if (d < 0 || n == MAX_RANK) {
                    return null;
                }
                dims[n++] = d;
            } while (in.take(','));
            if (!in.take(']')) {
                return null;
            }
        }
        return Arrays.copyOf(dims, n);
    }

    /** The element count of a shape, or -1 past what a tensor can hold (the token reader words that error). */
    private static long elements(long[] shape) {
        long product = 1;
        for (long d : shape) {
            product *= d;
            if (product > Integer.MAX_VALUE) {
                return -1;
            }
        }
        return product;
    }
}
