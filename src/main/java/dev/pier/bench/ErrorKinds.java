package dev.pier.bench;

import dev.pier.api.PierException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/**
 * Names the kind of a failed request for the per-kind error counts: {@code http_503}, {@code connect_refused},
 * {@code timeout}, {@code dropped}, the {@link PierException} type for gRPC statuses, else the exception type.
 * Stateless.
 */
public final class ErrorKinds {
    /** An open-loop request not sent because the outstanding-request cap was reached. */
    public static final String DROPPED = "dropped_outstanding_cap";
    /** A request still unanswered when the step's drain time ran out. */
    public static final String UNANSWERED = "unanswered_at_step_end";

    private ErrorKinds() {}

    /** A non-2xx HTTP answer. */
    public static final class HttpStatusException extends RuntimeException {
        private final int status;

        public HttpStatusException(int status) {
            super("HTTP " + status, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public static String of(Throwable error) {
        Throwable e = error;
        while (e.getCause() != null
                && !(e instanceof HttpStatusException)
                && !(e instanceof PierException)
                && !(e instanceof ConnectException)) {
            e = e.getCause();
        }
        if (e instanceof HttpStatusException h) {
            return "http_" + h.status();
        }
        if (e instanceof ConnectException) {
            return "connect_refused";
        }
        if (e instanceof TimeoutException || e.getClass().getSimpleName().contains("Timeout")) {
            return "timeout";
        }
        if (e instanceof PierException) {
            return "grpc_" + e.getClass().getSimpleName();
        }
        if (e.getClass().getSimpleName().equals("HttpClosedException")
                || e.getClass().getSimpleName().equals("ClosedChannelException")) {
            return "connection_closed";
        }
        return e.getClass().getSimpleName();
    }
}
