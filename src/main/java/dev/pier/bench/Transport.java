package dev.pier.bench;

import io.vertx.core.Future;

/**
 * Sends one pre-encoded request to a server, asynchronously. The future completes when the whole answer has
 * arrived, or fails with the cause; {@link ErrorKinds} names the cause for the error counts. Implementations
 * are thread-safe and own their connections: close them to release sockets.
 */
public interface Transport extends AutoCloseable {

    /** Sends the {@code index}-th prepared request (modulo their number). */
    Future<Void> send(int index);

    @Override
    void close();
}
