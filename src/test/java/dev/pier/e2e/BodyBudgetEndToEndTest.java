package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 2 in a real process with a 256 MB heap: twelve concurrent 60 MB bodies (each under the 64 MiB
 * per-request limit) and four chunked 100 MB uploads. Every request is answered (200, 413 or 503), nothing
 * runs out of memory, and the server serves normally afterwards. A declared Content-Length over the limit is
 * refused with 413 before the body is read.
 */
class BodyBudgetEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void concurrentLargeBodiesAreAllAnsweredWithinTheHeap() throws Exception {
        TestRepository repo = new TestRepository(dir.resolve("models"));
        try (PierProcess pier =
                PierProcess.serveWithJvm(List.of("-Xmx256m"), "--model-repository", repo.root.toString())) {
            // a valid request padded with whitespace to 60 MB: decodes fine when admitted
            byte[] big = new byte[60 << 20];
            Arrays.fill(big, (byte) ' ');
            byte[] head = SecurityEndToEndTest.MULTI.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(head, 0, big, 0, head.length);

            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<String> unanswered = new ConcurrentLinkedQueue<>();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                boolean chunked = i >= 12;
                clients.add(Thread.ofPlatform().start(() -> {
                    try {
                        HttpRequest.BodyPublisher body = chunked
                                ? HttpRequest.BodyPublishers.ofInputStream(
                                        () -> new Zeros(100L << 20)) // no length: chunked
                                : HttpRequest.BodyPublishers.ofByteArray(big);
                        Http.Answer a = new Http(pier.httpPort())
                                .send(HttpRequest.newBuilder(URI.create(
                                                "http://127.0.0.1:" + pier.httpPort() + "/v2/models/multi/infer"))
                                        .version(java.net.http.HttpClient.Version.HTTP_1_1)
                                        .header("Content-Type", "application/json")
                                        .POST(body));
                        statuses.computeIfAbsent(a.status(), s -> new AtomicInteger())
                                .incrementAndGet();
                        if (a.status() != 200 && !a.text().contains("\"error\"")) {
                            unanswered.add("HTTP " + a.status() + " without a JSON error: " + a.text());
                        }
                    } catch (IOException | InterruptedException e) {
                        unanswered.add((chunked ? "chunked: " : "60 MB: ") + e);
                    }
                }));
            }
            for (Thread t : clients) {
                t.join(120_000);
            }
            System.out.printf(
                    "16 concurrent large bodies with -Xmx256m: statuses %s, unanswered %d, OutOfMemoryError in log: %s%n",
                    statuses, unanswered.size(), pier.output().contains("OutOfMemoryError"));
            assertThat(unanswered).isEmpty();
            assertThat(statuses.keySet()).isSubsetOf(200, 413, 503);
            assertThat(pier.output()).doesNotContain("OutOfMemoryError");
            assertThat(pier.isAlive()).isTrue();

            Http http = new Http(pier.httpPort());
            Http.Answer after = http.post("/v2/models/multi/infer", SecurityEndToEndTest.MULTI);
            assertThat(after.status()).as("serves normally afterwards").isEqualTo(200);
            // over the per-request limit by declaration: 413 at once, the body is not read
            RawHttp.Reply tooLarge;
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", pier.httpPort())) {
                s.setSoTimeout(30_000);
                s.getOutputStream()
                        .write(("POST /v2/models/multi/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                        + "Content-Length: " + (1L << 30) + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                tooLarge = RawHttp.read(s.getInputStream());
            }
            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.body()).contains("too large");
        }
    }

    /** {@code n} zero bytes, streamed (the body of a chunked upload). */
    private static final class Zeros extends InputStream {
        private long left;

        Zeros(long n) {
            left = n;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
