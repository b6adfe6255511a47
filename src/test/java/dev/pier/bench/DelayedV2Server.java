package dev.pier.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test double for a V2 inference server with known timing: answers every {@code POST} after a fixed delay,
 * optionally stalls once (on the n-th request) and optionally answers with a fixed error status. With
 * {@code serial} requests are answered one at a time (so a stall holds up every later request, as a stuck
 * server would).
 */
final class DelayedV2Server implements AutoCloseable {
    private static final byte[] ANSWER = ("{\"model_name\":\"m\",\"outputs\":[{\"name\":\"y\",\"datatype\":\"FP32\","
                    + "\"shape\":[1,1],\"data\":[0.5]}]}")
            .getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService executor;
    final AtomicInteger received = new AtomicInteger();
    /** The body of the latest POST, and its path. */
    final java.util.concurrent.atomic.AtomicReference<byte[]> lastBody =
            new java.util.concurrent.atomic.AtomicReference<>();

    final java.util.concurrent.atomic.AtomicReference<String> lastPath =
            new java.util.concurrent.atomic.AtomicReference<>();

    DelayedV2Server(long delayMs, int stallAt, long stallMs, int status, boolean serial) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        executor = Executors.newCachedThreadPool();
        java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock(true);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestMethod().equals("POST")) {
                lastBody.set(body);
                lastPath.set(exchange.getRequestURI().getRawPath());
            }
            if (serial) {
                lock.lock();
            }
            try {
                int n = received.incrementAndGet();
                Thread.sleep(n == stallAt ? stallMs : delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (serial) {
                    lock.unlock();
                }
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, ANSWER.length);
            exchange.getResponseBody().write(ANSWER);
            exchange.close();
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
