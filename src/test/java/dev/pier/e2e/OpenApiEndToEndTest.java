package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v2/openapi.json} of a server with four models of different datatypes: each model has an infer
 * operation whose schemas name its tensors, datatypes and ranks, and the example request each schema carries is
 * accepted by the model itself. Then the Swagger UI page {@code /v2/docs}, from the bundled WebJar, rendered by
 * headless Chromium, lists every infer operation.
 */
class OpenApiEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void theDocumentDescribesEachModelsTensorsAndSwaggerUiListsThem() throws Exception {
        TestRepository repo = new TestRepository(dir.resolve("repo"));
        try (PierProcess pier = PierProcess.serve("--model-store", repo.root.toString())) {
            Http http = new Http(pier.httpPort());
            Http.Answer answer = http.get("/v2/openapi.json");
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.raw().headers().firstValue("content-type")).hasValue("application/json");
            JsonNode doc = answer.json();
            assertThat(doc.path("openapi").asText()).isEqualTo("3.0.3");

            JsonNode mlp = tensor(doc, "mlp_InferRequest", "inputs", 0);
            assertThat(mlp.at("/properties/name/enum/0").asText()).isEqualTo("x");
            assertThat(mlp.at("/properties/datatype/enum/0").asText()).isEqualTo("FP32");
            assertThat(mlp.at("/properties/shape/minItems").asInt()).isEqualTo(2);
            assertThat(mlp.at("/properties/data/items/type").asText()).isEqualTo("number");
            assertThat(tensor(doc, "mlp_InferResponse", "outputs", 0)
                            .at("/properties/name/enum/0")
                            .asText())
                    .isEqualTo("probs");
            assertThat(tensor(doc, "ints_InferRequest", "inputs", 0)
                            .at("/properties/data/items/type")
                            .asText())
                    .isEqualTo("integer");
            assertThat(tensor(doc, "strings_InferRequest", "inputs", 0)
                            .at("/properties/data/items/type")
                            .asText())
                    .isEqualTo("string");
            assertThat(doc.at("/components/schemas/multi_InferRequest/properties/inputs/items/oneOf"))
                    .hasSize(2);

            List<String> models = List.of("mlp", "multi", "ints", "strings");
            for (String model : models) {
                JsonNode op =
                        doc.path("paths").path("/v2/models/" + model + "/infer").path("post");
                assertThat(op.path("operationId").asText()).isEqualTo("infer_" + model);
                // the schema's own example is a request the model accepts
                String example = doc.at("/components/schemas/" + model + "_InferRequest/example")
                        .toString();
                Http.Answer infer = http.post("/v2/models/" + model + "/infer", example);
                assertThat(infer.status())
                        .as("%s example %s -> %s", model, example, infer.text())
                        .isEqualTo(200);
            }

            if (!HeadlessChromium.available()) {
                Assumptions.abort(
                        "no /usr/bin/chromium (apt-get install chromium); the Swagger UI page was not checked");
            }
            String dom = HeadlessChromium.dumpDom(
                    "http://127.0.0.1:" + pier.httpPort() + "/v2/docs", dir.resolve("profile"));
            List<String> listed = new ArrayList<>();
            Matcher m = Pattern.compile("data-path=\"([^\"]+)\"").matcher(dom);
            while (m.find()) {
                listed.add(m.group(1));
            }
            assertThat(listed)
                    .as("operations Swagger UI rendered; page:\n%s", dom)
                    .contains(
                            "/v2/models/mlp/infer",
                            "/v2/models/multi/infer",
                            "/v2/models/ints/infer",
                            "/v2/models/strings/infer",
                            "/v2/health/ready",
                            "/metrics");
            assertThat(dom).doesNotContain("Failed to load API definition");
        }
    }

    /**
     * With a bearer token the API description is guarded like the models it describes (fail closed), unless
     * {@code --public-docs}: then the document, the page and its assets are open, and inference still needs the token.
     */
    @Test
    void withATokenTheDocsNeedItUnlessPublicDocs() throws Exception {
        TestRepository repo = new TestRepository(dir.resolve("repo"));
        java.nio.file.Files.writeString(dir.resolve("token"), "docs-secret\n");
        String token = dir.resolve("token").toString();
        try (PierProcess pier = PierProcess.serve("--model-store", repo.root.toString(), "--auth-token-file", token)) {
            Http http = new Http(pier.httpPort());
            assertThat(http.get("/v2/openapi.json").status()).isEqualTo(401);
            assertThat(http.get("/v2/docs").status()).isEqualTo(401);
            assertThat(http.get("/v2/docs/assets/swagger-ui.css").status()).isEqualTo(401);
            Http.Answer withToken = get(http, pier.httpPort(), "/v2/openapi.json", "docs-secret");
            assertThat(withToken.status()).isEqualTo(200);
            assertThat(withToken.json().path("paths").has("/v2/models/mlp/infer"))
                    .isTrue();
        }
        try (PierProcess pier =
                PierProcess.serve("--model-store", repo.root.toString(), "--auth-token-file", token, "--public-docs")) {
            Http http = new Http(pier.httpPort());
            Http.Answer doc = http.get("/v2/openapi.json");
            assertThat(doc.status()).isEqualTo(200);
            assertThat(doc.json().path("paths").has("/v2/models/mlp/infer")).isTrue();
            assertThat(http.get("/v2/docs").status()).isEqualTo(200);
            assertThat(http.get("/v2/docs/assets/swagger-ui.css").status()).isEqualTo(200);
            assertThat(http.post(
                                    "/v2/models/mlp/infer",
                                    "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,6],\"datatype\":\"FP32\",\"data\":[0,1,0,1,0,1]}]}")
                            .status())
                    .as("inference still needs the token")
                    .isEqualTo(401);
            assertThat(http.get("/v2/models/mlp").status())
                    .as("metadata still needs the token")
                    .isEqualTo(401);
            assertThat(http.get("/v2/docs/assets/..%2f..%2fmodels/mlp").status())
                    .as("no way around through the assets")
                    .isIn(401, 404);
        }
    }

    private static Http.Answer get(Http http, int port, String path, String token) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                .GET()
                .header("Authorization", "Bearer " + token));
    }

    private static JsonNode tensor(JsonNode doc, String schema, String array, int i) {
        return doc.at("/components/schemas/" + schema + "/properties/" + array + "/items/oneOf/" + i);
    }
}
