package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 3 with real sockets: 300 slowloris connections (headers never finished) against a cap of 100
 * connections. Health checks keep answering on connections over the cap, other requests there get a 503
 * naming the limit, every slowloris connection is closed by the header timeout, a stalled body gets 408, and
 * afterwards the server serves normally.
 */
class SlowClientEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void slowlorisConnectionsAreCappedAndTimedOutWhileHealthAnswers() throws Exception {
        TestRepository repo = new TestRepository(dir.resolve("models"));
        try (PierProcess pier = PierProcess.serve(
                "--model-repository",
                repo.root.toString(),
                "--max-connections",
                "100",
                "--header-timeout",
                "3s",
                "--body-idle-timeout",
                "1s")) {
            int port = pier.httpPort();
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 300; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                    s.getOutputStream()
                            .write("GET /v2/health/live HTTP/1.1\r\nHost: x\r\nX-Slow: "
                                    .getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    slow.add(s);
                }
                // over the cap: health is still served, anything else refused with the limit named
                long worstNanos = 0;
                for (int i = 0; i < 20; i++) {
                    long t0 = System.nanoTime();
                    RawHttp.Reply live = RawHttp.send(port, "GET", "/v2/health/live", null, "");
                    worstNanos = Math.max(worstNanos, System.nanoTime() - t0);
                    assertThat(live.status()).isEqualTo(200);
                }
                RawHttp.Reply refused =
                        RawHttp.send(port, "POST", "/v2/models/multi/infer", null, SecurityEndToEndTest.MULTI);
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.body()).contains("--max-connections");
                assertThat(refused.header("Retry-After")).isEqualTo("1");
                System.out.printf(
                        "slowloris: %d half-sent connections held, /v2/health/live answered 20/20, worst latency %.1f ms%n",
                        slow.size(), worstNanos / 1e6);

                // the header timeout closes every one of them (read returns end-of-stream, not our 30 s timeout)
                int closed = 0;
                for (Socket s : slow) {
                    s.setSoTimeout(30_000);
                    try (InputStream in = s.getInputStream()) {
                        while (in.read() >= 0) {
                            // a 408/close may come first on some; read to the end
                        }
                        closed++;
                    } catch (SocketTimeoutException e) {
                        // still open: counted as not closed
                    } catch (java.io.IOException e) {
                        closed++; // reset by the server: closed too
                    }
                }
                assertThat(closed)
                        .as("slowloris connections closed by the server")
                        .isEqualTo(slow.size());
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }

            // a body that stalls gets 408 once the body idle timeout passes
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(30_000);
                s.getOutputStream()
                        .write(("POST /v2/models/multi/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                        + "Content-Length: 1000\r\n\r\n{\"inputs\":")
                                .getBytes(StandardCharsets.US_ASCII));
                RawHttp.Reply stalled = RawHttp.read(s.getInputStream());
                assertThat(stalled.status()).isEqualTo(408);
                assertThat(stalled.body()).contains("stalled");
            }
            Http.Answer after = new Http(port).post("/v2/models/multi/infer", SecurityEndToEndTest.MULTI);
            assertThat(after.status()).isEqualTo(200);
        }
    }
}
