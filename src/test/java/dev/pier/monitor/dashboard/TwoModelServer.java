package dev.pier.monitor.dashboard;

import dev.pier.examples.ExampleModels;
import dev.pier.security.SecurityOptions;
import dev.pier.server.RunningServer;
import dev.pier.server.ServerOptions;
import dev.pier.server.ServerSetup;
import dev.pier.server.ShutdownOptions;
import dev.pier.serving.ServingOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real Pier server in this JVM serving two MNIST MLPs ({@code digits} and {@code digits_small}, random weights),
 * plus a bounded background load of KServe V2 REST requests to both, for the dashboard tests. Owns the server and
 * the load thread.
 */
final class TwoModelServer implements AutoCloseable {
    static final List<String> MODELS = List.of("digits", "digits_small");

    final RunningServer server;
    final String base;
    final Optional<String> token;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean loading = new AtomicBoolean();
    private final AtomicLong answered = new AtomicLong();
    private Thread load;

    TwoModelServer(Path tmp, Optional<String> token, ShutdownOptions shutdown) throws IOException {
        Path repo = tmp.resolve("models");
        for (int i = 0; i < MODELS.size(); i++) {
            Path file = repo.resolve(MODELS.get(i)).resolve("1").resolve("model.onnx");
            Files.createDirectories(file.getParent());
            ExampleModels.mnistMlp(21 + i).save(file);
        }
        this.token = token;
        server = RunningServer.start(ServerSetup.of(
                        ServingOptions.of(repo, null),
                        new ServerOptions("127.0.0.1", 0, 0, ServerOptions.DEFAULT_MAX_BODY_BYTES, 1))
                .withShutdown(shutdown)
                .withSecurity(new SecurityOptions(token, Optional.empty(), Optional.empty(), Optional.empty())));
        base = "http://127.0.0.1:" + server.httpPort();
    }

    /**
     * Sends requests from one thread until {@link #close()}: {@code digits} every round, {@code digits_small}
     * every other round, with a pause that changes every few seconds so the request rates visibly move. At
     * most a few hundred requests per second.
     */
    void startLoad() {
        loading.set(true);
        load = new Thread(
                () -> {
                    SplittableRandom random = new SplittableRandom(5);
                    long started = System.nanoTime();
                    for (long round = 0; loading.get(); round++) {
                        infer(MODELS.get(0), random);
                        if (round % 2 == 0) {
                            infer(MODELS.get(1), random);
                        }
                        long phase = (System.nanoTime() - started) / 3_000_000_000L;
                        sleep(phase % 2 == 0 ? 4 : 12);
                    }
                },
                "dashboard-test-load");
        load.setDaemon(true);
        load.start();
    }

    long answered() {
        return answered.get();
    }

    private void infer(String model, SplittableRandom random) {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 784; i++) {
            data.append(i == 0 ? "" : ",").append(random.nextInt(256) / 255.0f);
        }
        String body = "{\"inputs\":[{\"name\":\"" + ExampleModels.MNIST_INPUT
                + "\",\"shape\":[1,784],\"datatype\":\"FP32\",\"data\":[" + data + "]}]}";
        try {
            HttpResponse<Void> r = client.send(
                    request("/v2/models/" + model + "/infer")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .header("Content-Type", "application/json")
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 200) {
                answered.incrementAndGet();
            }
        } catch (IOException e) {
            sleep(50); // the server is going away at the end of the test
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loading.set(false);
        }
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        loading.set(false);
        if (load != null) {
            load.join(5000);
        }
        server.close();
    }
}
