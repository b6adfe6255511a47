package dev.pier.io;

import com.fasterxml.jackson.databind.JsonMappingException;
import java.util.List;

/** The dotted path ({@code train.epochs}, {@code input[0].dims}) of a Jackson mapping error, for one-line messages. */
public final class JsonPaths {
    private JsonPaths() {}

    public static String of(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
