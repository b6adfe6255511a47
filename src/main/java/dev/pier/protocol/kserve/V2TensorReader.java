package dev.pier.protocol.kserve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.pier.api.DataType;
import dev.pier.api.InvalidInputException;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import dev.pier.protocol.codec.Json;
import dev.pier.protocol.codec.NestedReader;
import dev.pier.protocol.codec.RawTensors;
import dev.pier.protocol.codec.TensorBuilder;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads one V2 tensor object {@code {"name","datatype","shape","parameters","data"}} (a request input or a
 * response output), taking its elements either from {@code data} or, with {@code binary_data_size}, from the
 * binary section. Fields may come in any order; {@code data} seen before {@code datatype} is buffered.
 * Stateless.
 */
final class V2TensorReader {
    static final String ALL_TYPES =
            Arrays.stream(DataType.values()).map(DataType::name).collect(Collectors.joining(", "));

    private V2TensorReader() {}

    /** The parser is on the START_OBJECT of the tensor; {@code role} is "input" or "output" for messages. */
    static Tensor read(JsonParser p, String role, int index, BinarySection binary) throws IOException {
        Json.require(p, JsonToken.START_OBJECT, role + " " + index + " to be an object");
        String name = null;
        String datatypeText = null;
        long[] shape = null;
        Map<String, Object> parameters = Map.of();
        TokenBuffer pendingData = null;
        Tensor fromData = null;
        TensorBuilder builder = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            switch (field) {
                case "name" -> name = Json.string(p, role + " " + index + " name");
                case "datatype" -> datatypeText = Json.string(p, role + " " + index + " datatype");
                case "shape" -> shape = shape(p, role, index, name);
                case "parameters" -> parameters = Json.parameters(p, "parameters");
                case "data" -> {
                    p.nextToken();
                    if (datatypeText == null || name == null) {
                        pendingData = new TokenBuffer(p);
                        pendingData.copyCurrentStructure(p);
                    } else {
                        builder = readData(p, name, datatype(datatypeText, role, name), shape);
                    }
                }
                default -> Json.skipValue(p);
            }
        }
        String label = name == null ? role + " " + index : role + " '" + name + "'";
        if (name == null || name.isEmpty()) {
            throw new InvalidInputException(role + " " + index + ": 'name' is required");
        }
        if (datatypeText == null) {
            throw new InvalidInputException(label + ": 'datatype' is required (one of " + ALL_TYPES + ")");
        }
        DataType type = datatype(datatypeText, role, name);
        if (shape == null) {
            throw new InvalidInputException(label + ": 'shape' is required");
        }
        Shape s = Shape.of(shape);
        Object binarySize = parameters.get("binary_data_size");
        boolean hasData = builder != null || pendingData != null;
        if (binarySize != null) {
            if (hasData) {
                throw new InvalidInputException(
                        label + " has both 'data' and the binary_data_size parameter;" + " send one of them");
            }
            if (!(binarySize instanceof Long size)) {
                throw new InvalidInputException(
                        label + ": parameter binary_data_size must be an integer, got " + binarySize);
            }
            int offset = binary.take(name, size);
            return RawTensors.decode(name, type, s, binary.source(), offset, (int) (long) size);
        }
        if (!hasData) {
            throw new InvalidInputException(label + ": 'data' is required (or parameters.binary_data_size with the"
                    + " binary tensor extension)");
        }
        if (pendingData != null) {
            try (JsonParser replay = pendingData.asParser()) {
                replay.nextToken();
                builder = readData(replay, name, type, shape);
            }
        }
        return builder.build(s);
    }

    private static TensorBuilder readData(JsonParser p, String name, DataType type, long[] shape) throws IOException {
        long hint = -1;
        if (shape != null) {
            hint = 1;
            for (long d : shape) {
                hint = d <= 0 ? 0 : (hint > (1L << 40) ? hint : hint * d);
            }
        }
        TensorBuilder builder = new TensorBuilder(name, type, hint, false);
        new NestedReader(builder, name, false).read(p);
        return builder;
    }

    static DataType datatype(String text, String role, String name) {
        return DataType.fromWireName(text)
                .orElseThrow(() -> new InvalidInputException(
                        role + " '" + name + "': unknown datatype '" + text + "'; expected one of " + ALL_TYPES));
    }

    private static long[] shape(JsonParser p, String role, int index, String name) throws IOException {
        String label = name == null ? role + " " + index : role + " '" + name + "'";
        if (p.nextToken() != JsonToken.START_ARRAY) {
            throw new InvalidInputException(label + ": 'shape' must be an array of non-negative integers, got "
                    + Json.describe(p, p.currentToken()));
        }
        long[] dims = new long[8];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0) {
                throw new InvalidInputException(label + ": 'shape' must be an array of non-negative integers, got "
                        + Json.describe(p, p.currentToken()) + " at position " + n);
            }
            if (n == dims.length) {
                dims = Arrays.copyOf(dims, n * 2);
            }
            dims[n++] = p.getLongValue();
        }
        long[] out = Arrays.copyOf(dims, n);
        long product = 1;
        for (long d : out) {
            product *= d;
            if (product > Integer.MAX_VALUE || product < 0) {
                throw new InvalidInputException(label + ": 'shape' " + Arrays.toString(out)
                        + " has more elements than a tensor can hold (" + Integer.MAX_VALUE + ")");
            }
        }
        return out;
    }
}
