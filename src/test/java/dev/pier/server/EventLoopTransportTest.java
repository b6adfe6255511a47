package dev.pier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.transport.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventLoopTransportTest {

    @Test
    void theDefaultTriesIoUringThenEpollThenNio() {
        assertThat(EventLoopTransport.order(null)).containsExactly(Transport.IO_URING, Transport.EPOLL, Transport.NIO);
        assertThat(EventLoopTransport.order(" IO_URING ")).isEqualTo(EventLoopTransport.order(null));
        assertThat(EventLoopTransport.order("epoll")).containsExactly(Transport.EPOLL, Transport.NIO);
        assertThat(EventLoopTransport.order("nio")).containsExactly(Transport.NIO);
    }

    @Test
    void anUnknownTransportIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> EventLoopTransport.order("netty"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dpier.transport=netty is not a socket transport; expected io_uring, epoll or nio");
    }

    @Test
    void theChosenTransportLoadsHere() {
        Transport chosen = EventLoopTransport.chosen();
        assertThat(chosen == Transport.NIO || chosen.available()).isTrue();
        // the order is followed: nothing better than the chosen one loads
        for (Transport better : EventLoopTransport.order(null)) {
            if (better == chosen) {
                break;
            }
            assertThat(better.available()).as(better.name()).isFalse();
        }
    }

    @Test
    void everyTransportThatLoadsServesHttp() throws Exception {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int served = 0;
        for (Transport transport : EventLoopTransport.order(null)) {
            if (transport != Transport.NIO && !transport.available()) {
                continue;
            }
            Vertx vertx = EventLoopTransport.vertx(1, transport);
            try {
                HttpServer server = vertx.createHttpServer()
                        .requestHandler(req -> req.body()
                                .onSuccess(body -> req.response()
                                        .end("{\"transport\":\"" + transport.name() + "\",\"bytes\":" + body.length()
                                                + "}")))
                        .listen(0, "127.0.0.1")
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                HttpResponse<String> answer = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/"))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[100_000]))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.body()).isEqualTo("{\"transport\":\"" + transport.name() + "\",\"bytes\":100000}");
                served++;
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
        assertThat(served).isGreaterThanOrEqualTo(1);
    }
}
