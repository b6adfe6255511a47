package dev.pier.repository;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pier.io.JsonPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads a {@code config.yaml} into a {@link ModelConfig} with Jackson YAML. Strict on purpose: an unknown
 * field, a wrong type or a duplicate key is an error, because a silently ignored typo in a serving config
 * (say {@code max_batch_sise}) is found only in production. Errors become {@link InvalidModelConfigException}
 * whose message names the file, the field path and what was expected. Thread-safe and stateless.
 */
public final class ModelConfigParser {
    private static final ObjectMapper MAPPER = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("token `JsonToken\\.(\\w+)`");

    private static final java.util.regex.Pattern FROM =
            java.util.regex.Pattern.compile("from (Number|String|Boolean) value");

    private ModelConfigParser() {}

    /** Parses a config file; an empty file is the default configuration. */
    public static ModelConfig parse(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(yaml, file.toString());
    }

    /** Parses YAML text; {@code source} names it in error messages (usually the file path). */
    public static ModelConfig parse(String yaml, String source) {
        if (yaml.isBlank()) {
            return ModelConfig.defaults(null);
        }
        try {
            ModelConfig config = MAPPER.readValue(yaml, ModelConfig.class);
            return config == null ? ModelConfig.defaults(null) : config;
        } catch (JsonProcessingException e) {
            throw new InvalidModelConfigException(source + ": " + describe(e), e);
        }
    }

    static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            String where = JsonPaths.of(u.getPath().subList(0, u.getPath().size() - 1));
            return "unknown field '" + u.getPropertyName() + "'" + (where.isEmpty() ? "" : " in '" + where + "'")
                    + "; expected one of " + sorted(u.getKnownPropertyIds());
        }
        if (e instanceof ValueInstantiationException v) {
            String where = JsonPaths.of(v.getPath());
            Throwable cause = v.getCause() != null ? v.getCause() : v;
            return (where.isEmpty() ? "" : "in '" + where + "': ") + cause.getMessage();
        }
        if (e instanceof InvalidFormatException f) {
            return "field '" + JsonPaths.of(f.getPath()) + "': expected " + expected(f.getTargetType()) + ", got '"
                    + f.getValue() + "'";
        }
        if (e instanceof MismatchedInputException m) {
            String got = tokenIn(m.getOriginalMessage());
            if (got == null) {
                got = m.getProcessor() instanceof JsonParser p ? token(p) : "something else";
            }
            return "field '" + JsonPaths.of(m.getPath()) + "': expected " + expected(m.getTargetType()) + ", got "
                    + got;
        }
        if (e instanceof JsonMappingException m) {
            return "field '" + JsonPaths.of(m.getPath()) + "': " + m.getOriginalMessage();
        }
        return "not valid YAML: " + e.getOriginalMessage().replaceAll("\\s+", " ")
                + (e.getLocation() == null
                        ? ""
                        : " (line " + e.getLocation().getLineNr() + ", column "
                                + e.getLocation().getColumnNr() + ")");
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping";
        }
        return "a " + type.getSimpleName();
    }

    /** Jackson's message names the token it found, as in {@code (token `JsonToken.START_OBJECT`)}. */
    private static String tokenIn(String message) {
        java.util.regex.Matcher m = TOKEN.matcher(message == null ? "" : message);
        if (!m.find()) {
            java.util.regex.Matcher from = FROM.matcher(message == null ? "" : message);
            return from.find() ? "a " + from.group(1).toLowerCase(java.util.Locale.ROOT) : null;
        }
        return switch (m.group(1)) {
            case "START_ARRAY" -> "a list";
            case "START_OBJECT", "FIELD_NAME" -> "a mapping";
            case "VALUE_STRING" -> "a string";
            case "VALUE_NUMBER_INT", "VALUE_NUMBER_FLOAT" -> "a number";
            case "VALUE_TRUE", "VALUE_FALSE" -> "a boolean";
            case "VALUE_NULL" -> "null";
            default -> null;
        };
    }

    private static String token(JsonParser p) {
        JsonToken t = p.currentToken();
        if (t == null) {
            return "nothing";
        }
        try {
            return switch (t) {
                case START_ARRAY -> "a list";
                case START_OBJECT, FIELD_NAME -> "a mapping";
                case VALUE_STRING -> "the string '" + p.getText() + "'";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + p.getText();
                case VALUE_TRUE, VALUE_FALSE -> "the boolean " + p.getText();
                case VALUE_NULL -> "null";
                default -> t.asString() == null ? t.name() : t.asString();
            };
        } catch (IOException ex) {
            return t.name();
        }
    }

    private static TreeSet<String> sorted(Collection<Object> known) {
        TreeSet<String> names = new TreeSet<>();
        for (Object o : known) {
            names.add(String.valueOf(o));
        }
        return names;
    }
}
