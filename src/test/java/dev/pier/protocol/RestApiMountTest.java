package dev.pier.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.DataType;
import dev.pier.api.Shape;
import dev.pier.api.TensorSpec;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The router also works mounted as a sub-router behind a BodyHandler the composition root may add. */
class RestApiMountTest {
    @Test
    void worksAsASubRouterBehindABodyHandler() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (EchoInferenceService service = new EchoInferenceService()
                .model(
                        "m",
                        List.of(new TensorSpec("x", DataType.INT32, Shape.of(-1))),
                        List.of(new TensorSpec("y", DataType.INT32, Shape.of(-1))))) {
            Router root = Router.router(vertx);
            root.route().handler(BodyHandler.create());
            root.route("/*").subRouter(RestApi.router(vertx, service, RestOptions.defaults()));
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(root)
                    .listen(0)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get();
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(
                                            "http://localhost:" + server.actualPort() + "/v1/models/m:predict"))
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"instances\":[1,2]}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"predictions\":[1,2]}");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
