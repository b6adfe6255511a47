package dev.pier.predict;

import java.net.URI;

/**
 * The server address spellings {@code pier predict --url} accepts, for the other clients ({@code pier bench}) so
 * that every command reads them alike: {@code host:port} and {@code grpc://host:port} (or an http URL) for gRPC,
 * default port 8500; {@code http(s)://host:port} or a bare {@code host:port} for REST. Stateless.
 */
public final class ServerAddresses {
    private ServerAddresses() {}

    /** {@code grpc://host:port}. */
    public static URI grpc(String url) {
        return PredictTransport.grpcTarget(url);
    }

    /** {@code http(s)://host[:port]}. */
    public static URI rest(String url) {
        return PredictTransport.restBase(url);
    }
}
