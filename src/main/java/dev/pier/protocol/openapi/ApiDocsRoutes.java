package dev.pier.protocol.openapi;

import dev.pier.api.InferenceService;
import dev.pier.api.ModelMetadata;
import dev.pier.api.PierException;
import dev.pier.protocol.HttpSupport;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * Mounts {@code GET /v2/openapi.json} (rebuilt on every request from the models loaded then; built off the event
 * loop) and the Swagger UI page {@code GET /v2/docs} with its assets under {@code /v2/docs/assets/}, read from the
 * {@code org.webjars:swagger-ui} jar on the class path. Stateless.
 */
public final class ApiDocsRoutes {
    public static final String DOCUMENT = "/v2/openapi.json";
    public static final String PAGE = "/v2/docs";
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";

    private final InferenceService service;
    private final String serverVersion;

    public ApiDocsRoutes(InferenceService service, String serverVersion) {
        this.service = service;
        this.serverVersion = serverVersion;
    }

    public void mount(Router router) {
        router.get(DOCUMENT)
                .handler(ctx -> HttpSupport.offTheEventLoop(
                        ctx,
                        this::document,
                        document -> ctx.response()
                                .putHeader("Content-Type", "application/json")
                                .end(document)));
        router.get(PAGE)
                .handler(ctx -> ctx.response()
                        .putHeader("Content-Type", "text/html; charset=utf-8")
                        .end(PAGE_HTML));
        router.get(PAGE + "/assets/*")
                .handler(StaticHandler.create(WEBJAR + swaggerUiVersion()).setCachingEnabled(true));
    }

    String document() {
        List<ModelMetadata> models = new ArrayList<>();
        for (String name : service.modelNames()) {
            try {
                models.add(service.metadata(name, OptionalLong.empty()));
            } catch (PierException notServingNow) {
                // loading, unloaded or failed: left out until it serves
            }
        }
        return OpenApiDocument.build(serverVersion, models).toPrettyString();
    }

    /** The WebJar's version, from its Maven metadata; the assets sit in a folder named after it. */
    static String swaggerUiVersion() {
        try (InputStream in = ApiDocsRoutes.class
                .getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the org.webjars:swagger-ui jar is missing from the class path");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the swagger-ui WebJar's version: " + e.getMessage(), e);
        }
    }

    private static final String PAGE_HTML = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Pier REST API</title>
            <link rel="stylesheet" href="/v2/docs/assets/swagger-ui.css"></head>
            <body><div id="swagger-ui"></div>
            <script src="/v2/docs/assets/swagger-ui-bundle.js"></script>
            <script>
              window.ui = SwaggerUIBundle({url: "/v2/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
                                           validatorUrl: null, tryItOutEnabled: true});
            </script></body></html>
            """;
}
