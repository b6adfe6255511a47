package dev.pier.serving;

import dev.pier.api.InferRequest;
import dev.pier.api.InvalidInputException;

/**
 * The end-to-end deadline of a request, as a {@link System#nanoTime()} value. A request sets it with the
 * parameter {@code timeout} in microseconds, as in Triton (REST and gRPC front-ends also put the HTTP header
 * {@code Pier-Timeout-Ms} and the gRPC deadline there); otherwise the server default applies. Pure.
 */
public final class RequestDeadline {
    /** The request parameter, in microseconds (Triton's name and unit). */
    public static final String PARAMETER = "timeout";

    public static final long NONE = Long.MAX_VALUE;

    private RequestDeadline() {}

    /** @param defaultTimeoutMs 0 = no default deadline */
    public static long of(InferRequest request, long nowNanos, long defaultTimeoutMs) {
        Object value = request.parameters().get(PARAMETER);
        long micros;
        if (value == null) {
            if (defaultTimeoutMs <= 0) {
                return NONE;
            }
            micros = defaultTimeoutMs * 1000;
        } else {
            micros = parse(value);
        }
        if (micros == 0) {
            return NONE;
        }
        return micros >= (Long.MAX_VALUE - nowNanos) / 1000 ? NONE : nowNanos + micros * 1000;
    }

    private static long parse(Object value) {
        try {
            long micros = value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                    ? n.longValue()
                    : Long.parseLong(value.toString().trim());
            if (micros >= 0) {
                return micros;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw new InvalidInputException("parameter '" + PARAMETER + "' must be a whole number of microseconds >= 0 "
                + "(0 = no deadline), got '" + value + "'");
    }
}
