package dev.pier.protocol;

import dev.pier.api.InferRequest;
import dev.pier.api.InvalidInputException;
import java.util.HashMap;
import java.util.Map;

/**
 * Carries a transport-level deadline (the HTTP header {@code Pier-Timeout-Ms}, the gRPC deadline) into the
 * request's {@code timeout} parameter, in microseconds as Triton defines it, where the serving core turns it
 * into an end-to-end deadline that counts queue time. A {@code timeout} the client put in the request body
 * wins. Pure.
 */
public final class Deadlines {
    /** HTTP request header: the deadline in milliseconds from arrival. */
    public static final String HEADER = "Pier-Timeout-Ms";
    /** The V2 request parameter (Triton's), in microseconds. */
    public static final String PARAMETER = "timeout";

    private Deadlines() {}

    /** The request with {@code timeout} set from the header value, when there is one; bad values are a 400. */
    public static InferRequest fromHeader(InferRequest request, String headerValue) {
        if (headerValue == null) {
            return request;
        }
        long ms;
        try {
            ms = Long.parseLong(headerValue.trim());
        } catch (NumberFormatException e) {
            ms = -1;
        }
        if (ms < 0 || ms > Long.MAX_VALUE / 1000) {
            throw new InvalidInputException(
                    "header " + HEADER + " must be a whole number of milliseconds >= 0, got '" + headerValue + "'");
        }
        return withTimeoutMicros(request, ms * 1000);
    }

    /** The request with {@code timeout} set to {@code micros} unless the request already has one; {@code micros <= 0}: unchanged. */
    public static InferRequest withTimeoutMicros(InferRequest request, long micros) {
        if (micros <= 0 || request.parameters().containsKey(PARAMETER)) {
            return request;
        }
        Map<String, Object> parameters = new HashMap<>(request.parameters());
        parameters.put(PARAMETER, micros);
        return new InferRequest(
                request.id(), request.model(), request.version(), request.inputs(), request.outputs(), parameters);
    }
}
