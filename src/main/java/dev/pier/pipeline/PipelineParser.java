package dev.pier.pipeline;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pier.api.InvalidInputException;
import dev.pier.io.JsonPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads {@code pipeline.yaml} into a {@link PipelineSpec}, strictly: an unknown key, a wrong type (a string where a
 * number belongs, or the reverse), a duplicate key or an invalid value is an {@link InvalidInputException} whose one-line
 * message names the file, the line and the key, because a typo such as {@code epoch: 3} silently ignored would train
 * with the default and publish the result. Stateless and thread-safe.
 */
public final class PipelineParser {
    private static final ObjectMapper MAPPER = strictMapper();

    private PipelineParser() {}

    private static ObjectMapper strictMapper() {
        YAMLMapper m = YAMLMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        // "epochs: '3'" or "arch: 128" is a mistake to report, not a value to convert
        for (LogicalType t : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            m.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        m.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return m;
    }

    public static PipelineSpec parse(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("pipeline file " + file + " not found");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read pipeline file " + file + ": " + e.getMessage());
        }
        return parse(yaml, file.toString());
    }

    public static PipelineSpec parse(String yaml, String source) {
        if (yaml.isBlank()) {
            throw new InvalidInputException(
                    source + ": empty pipeline; expected at least name, data, train and publish");
        }
        try {
            PipelineSpec spec = MAPPER.readValue(yaml, PipelineSpec.class);
            if (spec == null) {
                throw new InvalidInputException(source + ": empty pipeline");
            }
            return spec;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(source + describe(e));
        }
    }

    private static String describe(JsonProcessingException e) {
        String line = line(e.getLocation());
        if (e instanceof UnrecognizedPropertyException u) {
            String where = JsonPaths.of(u.getPath().subList(0, u.getPath().size() - 1));
            TreeSet<String> known = new TreeSet<>();
            u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
            return line + ": unknown key '" + (where.isEmpty() ? "" : where + ".") + u.getPropertyName()
                    + "'; expected one of " + known;
        }
        if (e instanceof ValueInstantiationException v) {
            Throwable cause = v.getCause() != null ? v.getCause() : v;
            String where = JsonPaths.of(v.getPath());
            String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            return line + ": " + (where.isEmpty() || message.startsWith("'" + where) ? "" : "in '" + where + "': ")
                    + message;
        }
        if (e instanceof InvalidFormatException f) {
            return line + ": '" + JsonPaths.of(f.getPath()) + "': expected " + expected(f.getTargetType()) + ", got '"
                    + f.getValue() + "'";
        }
        if (e instanceof MismatchedInputException m) {
            return line + ": '" + JsonPaths.of(m.getPath()) + "': expected " + expected(m.getTargetType()) + ", got "
                    + m.getOriginalMessage()
                            .replaceAll("(?s).*from (\\w+) value.*", "a $1 value")
                            .replaceAll("\\s+", " ");
        }
        if (e instanceof JsonMappingException m) {
            return line + ": '" + JsonPaths.of(m.getPath()) + "': "
                    + m.getOriginalMessage().replaceAll("\\s+", " ");
        }
        return line + ": not valid YAML: " + e.getOriginalMessage().replaceAll("\\s+", " ");
    }

    private static String line(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " line " + location.getLineNr();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isRecord()) {
            return "a mapping";
        }
        return "a " + type.getSimpleName();
    }
}
