package dev.pier.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the errors of a client that dialled the wrong one of a server's two ports into one line that says so:
 * gRPC sent to a REST port fails deep in HTTP/2 ("First received frame was not SETTINGS", or a content-type
 * complaint), and REST sent to Pier's gRPC port gets an empty 415 or 500. Other errors pass through unchanged.
 * Stateless.
 */
final class WrongPortHint {
    /** Pier's (and TF Serving's) default ports. */
    static final int REST_PORT = 8501;

    static final int GRPC_PORT = 8500;

    private WrongPortHint() {}

    static RuntimeException explain(RuntimeException e, boolean grpc, String host, int port) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null && messages.size() < 10; t = t.getCause() == t ? null : t.getCause()) {
            messages.add(t.getMessage() == null ? "" : t.getMessage());
        }
        String where = host + ":" + port;
        if (grpc
                && messages.stream()
                        .anyMatch(m -> m.contains("First received frame was not SETTINGS")
                                || m.contains("Invalid HTTP response content-type")
                                || m.contains("HTTP/1.1 header parser"))) {
            return new IllegalArgumentException(
                    where + " answers plain HTTP, not gRPC: "
                            + (port == REST_PORT
                                    ? REST_PORT + " is the REST port; gRPC is on " + GRPC_PORT
                                    : "is it the REST port? Give the server's gRPC port (pier serve --grpc-port, default "
                                            + GRPC_PORT + ")"),
                    e);
        }
        String top = messages.getFirst();
        boolean emptyError = top.isBlank() || top.matches("(?s).*HTTP (415|500): ?") || top.endsWith("): ");
        if (!grpc
                && emptyError
                && (port == GRPC_PORT || top.contains("415") || top.contains("500") || top.endsWith("): "))) {
            return new IllegalArgumentException(
                    where + " answered with an empty error, as a gRPC port does to REST: "
                            + (port == GRPC_PORT
                                    ? GRPC_PORT + " is the gRPC port; REST is on " + REST_PORT
                                    : "is it the gRPC port? Give the server's REST port (pier serve --http-port, default "
                                            + REST_PORT + ")"),
                    e);
        }
        return e;
    }
}
