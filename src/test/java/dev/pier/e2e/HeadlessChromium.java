package dev.pier.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium} in headless mode, as a real browser for the end-to-end tests: {@link #dumpDom} loads
 * a page, lets its scripts run (fetches included) within a virtual-time budget and returns the DOM they left.
 * {@link PageServer} serves a test page from a second origin on 127.0.0.1.
 */
final class HeadlessChromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");

    private HeadlessChromium() {}

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** The serialized DOM of {@code url} after its scripts ran (at most 15 s of virtual time). */
    static String dumpDom(String url, Path profile) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(
                        BINARY.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--no-first-run",
                        "--disable-quic",
                        "--disable-extensions",
                        "--user-data-dir=" + profile,
                        "--virtual-time-budget=15000",
                        "--dump-dom",
                        url))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish loading " + url);
        }
        return dom;
    }

    /** A web server for one static page on 127.0.0.1 (its own origin); closed after the test. */
    static final class PageServer implements AutoCloseable {
        private final HttpServer server;

        PageServer(String html) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] body = html.getBytes(StandardCharsets.UTF_8);
            server.createContext("/", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        String origin() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
