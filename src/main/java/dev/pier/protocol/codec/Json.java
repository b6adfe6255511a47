package dev.pier.protocol.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.pier.api.InvalidInputException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Jackson factory every protocol uses, plus small parsing helpers. The factory reads and writes
 * {@code NaN}, {@code Infinity} and {@code -Infinity} as bare JSON numbers, as TF Serving does.
 * Thread-safe (JsonFactory is).
 */
public final class Json {
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            // tensors are mostly numbers: the fast parser reads them several times faster than the JDK
            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(256).build())
            .build();

    private Json() {}

    /** Advances and requires the given token; the message names {@code what} was expected. */
    public static void expect(JsonParser p, JsonToken expected, String what) throws IOException {
        JsonToken t = p.nextToken();
        if (t != expected) {
            throw new InvalidInputException("expected " + what + ", got " + describe(p, t));
        }
    }

    /** Requires the current token. */
    public static void require(JsonParser p, JsonToken expected, String what) throws IOException {
        JsonToken t = p.currentToken();
        if (t != expected) {
            throw new InvalidInputException("expected " + what + ", got " + describe(p, t));
        }
    }

    /** A short description of a token for error messages: its kind and, for scalars, its text. */
    public static String describe(JsonParser p, JsonToken t) throws IOException {
        if (t == null) {
            return "end of input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "string \"" + abbreviate(p.getText()) + "\"";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number " + abbreviate(p.getText());
            case VALUE_TRUE, VALUE_FALSE -> "boolean " + p.getText();
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** Reads a string value (current token after the field name). */
    public static String string(JsonParser p, String field) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw new InvalidInputException("'" + field + "' must be a string, got " + describe(p, t));
        }
        return p.getText();
    }

    /**
     * Reads a V2 parameters object: names to strings, integers (Long), floats (Double) or booleans.
     * The parser is positioned on the field name; returns after the object's end.
     */
    public static Map<String, Object> parameters(JsonParser p, String field) throws IOException {
        JsonToken t = p.nextToken();
        Map<String, Object> out = new LinkedHashMap<>();
        if (t == JsonToken.VALUE_NULL) {
            return out;
        }
        if (t != JsonToken.START_OBJECT) {
            throw new InvalidInputException("'" + field + "' must be an object, got " + describe(p, t));
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            Object value = switch (v) {
                case VALUE_STRING -> p.getText();
                case VALUE_NUMBER_INT -> p.getLongValue();
                case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                default ->
                    throw new InvalidInputException("parameter '" + name + "' in '" + field
                            + "' must be a string, number or boolean, got " + describe(p, v));
            };
            out.put(name, value);
        }
        return out;
    }

    /** JSON syntax and text-encoding errors become client errors naming the position; other I/O cannot happen on byte arrays. */
    public static RuntimeException rethrow(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
            String loc = j.getLocation() == null
                    ? ""
                    : " at line " + j.getLocation().getLineNr() + ", column "
                            + j.getLocation().getColumnNr();
            return new InvalidInputException("malformed JSON" + loc + ": " + j.getOriginalMessage(), e);
        }
        if (e instanceof java.io.CharConversionException c) {
            // Jackson sniffs UTF-8/16/32 from the first bytes and reports bad code points this way (not as a
            // JsonProcessingException); it is the client's bytes that are wrong, so a 400, never a 500.
            return new InvalidInputException(
                    "malformed JSON: the body is not valid UTF-8 (or UTF-16/32) text: " + c.getMessage(), e);
        }
        return new java.io.UncheckedIOException(e);
    }

    /** Skips the value after a field name (for fields this protocol ignores). */
    public static void skipValue(JsonParser p) throws IOException {
        p.nextToken();
        p.skipChildren();
    }

    /** Fills in the fields of one JSON object. */
    public interface ObjectBody {
        void write(com.fasterxml.jackson.core.JsonGenerator g) throws IOException;
    }

    /** Writes one JSON object whose fields {@code body} writes; for the small metadata and status answers. */
    public static byte[] object(ObjectBody body) {
        ExactBytes out = new ExactBytes();
        try (com.fasterxml.jackson.core.JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
