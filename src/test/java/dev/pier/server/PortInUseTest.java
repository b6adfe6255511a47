package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.serving.ServingOptions;
import dev.pier.testsupport.TinyModels;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST and gRPC ports bind at the same time (a faster start); a port that is taken must still fail the start
 * with the error naming that protocol, its port and the option to change, and must leave the other port free.
 */
class PortInUseTest {
    @TempDir
    Path root;

    @BeforeEach
    void model() throws Exception {
        TinyModels.sumOfTwo(root, "m");
    }

    private RunningServer start(int httpPort, int grpcPort) {
        return RunningServer.start(
                ServingOptions.of(root, null),
                new ServerOptions("127.0.0.1", httpPort, grpcPort, ServerOptions.DEFAULT_MAX_BODY_BYTES, 2));
    }

    @Test
    void aTakenRestPortNamesRestAndFreesTheGrpcPort() throws Exception {
        int grpcPort = freePort();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> start(taken.getLocalPort(), grpcPort))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot listen for REST on 127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("--http-port");
        }
        assertThat(canBind(grpcPort)).as("the gRPC port is closed again").isTrue();
    }

    @Test
    void aTakenGrpcPortNamesGrpcAndFreesTheRestPort() throws Exception {
        int httpPort = freePort();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> start(httpPort, taken.getLocalPort()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot listen for gRPC on 127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("--grpc-port");
        }
        assertThat(canBind(httpPort)).as("the REST port is closed again").isTrue();
    }

    @Test
    void freePortsStillServe() {
        try (RunningServer server = start(0, 0)) {
            assertThat(server.httpPort()).isPositive();
            assertThat(server.grpcPort()).isPositive().isNotEqualTo(server.httpPort());
            assertThat(server.core().isReady()).isTrue();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Whether the port can be bound; the failed start closes its servers asynchronously, so this retries a while. */
    private static boolean canBind(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return true;
            } catch (java.io.IOException e) {
                Thread.sleep(50);
            }
        }
        return false;
    }
}
