package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.runtime.onnx.OrtEngine;
import dev.pier.security.SecurityOptions;
import dev.pier.serving.ServingCore;
import dev.pier.serving.ServingOptions;
import dev.pier.testsupport.TinyModels;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With two event loops, connections to each port are served on both of them. A server bound from a thread outside
 * Vert.x takes that thread's one "sticky" event loop, so every server used to run on the same loop: this test saw
 * one thread per port before the servers were bound from deployments of their own.
 */
class EventLoopSpreadTest {
    private static final int CONNECTIONS = 6;

    @TempDir
    Path root;

    @Test
    void everyEventLoopServesBothPorts() throws Exception {
        TinyModels.sumOfTwo(root, "m");
        Map<Integer, Set<String>> threadsByPort = new ConcurrentHashMap<>();
        UnaryOperator<Handler<HttpServerRequest>> recordThread = inner -> request -> {
            threadsByPort
                    .computeIfAbsent(request.localAddress().port(), p -> ConcurrentHashMap.newKeySet())
                    .add(Thread.currentThread().getName());
            inner.handle(request);
        };
        try (OrtEngine engine = new OrtEngine();
                ServingCore core = ServingCore.start(ServingOptions.of(root, null), engine);
                PierServer server = PierServer.start(
                        new ServerOptions("127.0.0.1", 0, 0, ServerOptions.DEFAULT_MAX_BODY_BYTES, 2),
                        core,
                        null,
                        new Drain(),
                        SecurityOptions.none(),
                        recordThread,
                        router -> {})) {
            for (int i = 0; i < CONNECTIONS; i++) {
                // one request per connection: Vert.x hands each new connection to the next server on the port
                assertThat(statusLine(server.httpPort(), "/v2/health/live")).contains(" 200 ");
                // the gRPC port answers HTTP/1.1 too (an error for a non-gRPC request), through the same front
                assertThat(statusLine(server.grpcPort(), "/inference.GRPCInferenceService/ServerLive"))
                        .startsWith("HTTP/1.1 ");
            }
            Set<String> rest = threadsByPort.get(server.httpPort());
            Set<String> grpc = threadsByPort.get(server.grpcPort());
            assertThat(rest).as("event loops that served REST").hasSize(2);
            assertThat(grpc).as("event loops that served gRPC").hasSize(2);
            assertThat(rest).allMatch(name -> name.startsWith("vert.x-eventloop-thread-"));
            assertThat(grpc).as("the same two loops serve both ports").isEqualTo(rest);
        }
    }

    /** Sends one GET on a fresh connection that the server is asked to close, and returns the status line. */
    private static String statusLine(int port, String path) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        }
    }
}
