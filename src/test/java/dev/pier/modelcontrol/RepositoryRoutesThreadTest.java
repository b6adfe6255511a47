package dev.pier.modelcontrol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.repository.ModelSource;
import dev.pier.repository.RepositorySource;
import dev.pier.repository.SourcedModel;
import dev.pier.runtime.onnx.OrtEngine;
import dev.pier.serving.InferenceObserver;
import dev.pier.serving.ModelStateListener;
import dev.pier.serving.ServingCore;
import dev.pier.serving.ServingOptions;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository extension's routes read the model repository folder on every index, load and unload. That read
 * can wait on storage, so it must happen on a worker thread and never on the event loop that also serves the
 * connection's other requests (and every other connection it owns).
 */
class RepositoryRoutesThreadTest {
    @TempDir
    Path root;

    /** The real repository source, recording for each scan whether it ran on an event loop. */
    private record RecordingSource(ModelSource real, List<Boolean> onEventLoop) implements ModelSource {
        @Override
        public List<SourcedModel> scan() {
            onEventLoop.add(Context.isOnEventLoopThread());
            return real.scan();
        }
    }

    @Test
    void indexLoadAndUnloadScanTheRepositoryOffTheEventLoop() throws Exception {
        Files.createDirectories(root.resolve("digits").resolve("1")); // a version folder with no model file in it
        List<Boolean> onEventLoop = new CopyOnWriteArrayList<>();
        ExplicitSource explicit =
                new ExplicitSource(new RecordingSource(new RepositorySource(root), onEventLoop), List.of());
        Vertx vertx = Vertx.vertx();
        try (OrtEngine engine = new OrtEngine();
                ServingCore core = ServingCore.start(
                        ServingOptions.of(root, null),
                        explicit,
                        engine,
                        ModelStateListener.NONE,
                        InferenceObserver.NONE)) {
            int scansAtStart = onEventLoop.size();
            Router router = Router.router(vertx);
            new RepositoryRoutes(core, explicit).mount(router);
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(router)
                    .listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            String base = "http://127.0.0.1:" + server.actualPort();

            HttpResponse<String> index = post(base + "/v2/repository/index");
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.body()).contains("\"name\":\"digits\"").contains("\"reason\":\"unloaded\"");

            HttpResponse<String> unknown = post(base + "/v2/repository/models/absent/load");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("model 'absent' is not in the repository");

            HttpResponse<String> broken = post(base + "/v2/repository/models/digits/load");
            assertThat(broken.statusCode()).isEqualTo(400);
            assertThat(broken.body()).contains("failed to load 'digits'");

            HttpResponse<String> unload = post(base + "/v2/repository/models/digits/unload");
            assertThat(unload.statusCode()).isEqualTo(200);

            // index: one scan; unknown load: one; load: the check and the refresh; unload: the refresh
            assertThat(onEventLoop.subList(scansAtStart, onEventLoop.size()))
                    .hasSize(5)
                    .containsOnly(false);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static HttpResponse<String> post(String url) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(
                HttpRequest.newBuilder(URI.create(url))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
