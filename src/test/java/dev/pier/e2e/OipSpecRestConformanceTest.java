package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of KServe V2 REST answer Pier gives (server metadata, model metadata, health and model readiness,
 * inference of each datatype family, errors) conforms to the Open Inference Protocol's OpenAPI document, checked by
 * a JSON-schema validator that no one here wrote. The answers come from {@code pier serve} as a real process.
 * Skips where {@code ../shared/oip-spec} is absent.
 */
class OipSpecRestConformanceTest {
    static final String INFER = "/v2/models/${MODEL_NAME}/versions/${MODEL_VERSION}/infer";
    static final String MODEL = "/v2/models/${MODEL_NAME}/versions/${MODEL_VERSION}";
    static final String READY = "/v2/models/${MODEL_NAME}/versions/${MODEL_VERSION}/ready";

    @TempDir
    static Path dir;

    static PierProcess pier;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        OipSpec.assumePresent();
        new TestRepository(dir.resolve("models"));
        pier = PierProcess.serve("--model-repository", dir.resolve("models").toString());
        http = new Http(pier.httpPort());
    }

    @AfterAll
    static void stop() {
        if (pier != null) {
            pier.close();
        }
    }

    /** The answer's status is one the spec documents, and its body validates against the schema given for it. */
    static void conforms(Http.Answer a, String pathTemplate, String method, int status) {
        assertThat(a.status()).as(a.text()).isEqualTo(status);
        assertThat(OipSpec.documents(pathTemplate, method, status))
                .as("%s %s documents %s", method, pathTemplate, status)
                .isTrue();
        String schema = OipSpec.responseSchema(pathTemplate, method, status);
        assertThat(OipSpec.validate(schema, a.json()))
                .as("%s against %s", a.text(), schema)
                .isEmpty();
    }

    @Test
    void serverMetadataAndHealthAndModelReadinessAnswerAsTheSpecSays() throws Exception {
        conforms(http.get("/v2"), "/v2/", "get", 200);
        for (String[] p : new String[][] {
            {"/v2/health/live", "/v2/health/live"},
            {"/v2/health/ready", "/v2/health/ready"},
            {"/v2/models/mlp/versions/1/ready", READY}
        }) {
            Http.Answer a = http.get(p[0]);
            assertThat(a.status()).as(p[0]).isEqualTo(200);
            assertThat(OipSpec.documents(p[1], "get", 200)).isTrue();
        }
    }

    @Test
    void modelMetadataConformsForEveryModel() throws Exception {
        for (String model : new String[] {"mlp", "multi", "ints", "strings"}) {
            conforms(http.get("/v2/models/" + model + "/versions/1"), MODEL, "get", 200);
        }
        Http.Answer missing = http.get("/v2/models/nope/versions/1");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(OipSpec.validate("metadata_model_error_response", missing.json()))
                .isEmpty();
    }

    @Test
    void inferenceRequestsAndAnswersOfEachDatatypeFamilyConform() throws Exception {
        String[][] cases = {
            {
                "mlp",
                "{\"id\":\"a\",\"inputs\":[{\"name\":\"x\",\"shape\":[2,6],\"datatype\":\"FP32\",\"data\":[[1,2,3,4,5,6],[0,0,0,0,0,0]]}]}"
            },
            {
                "multi",
                "{\"inputs\":[{\"name\":\"a\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]},"
                        + "{\"name\":\"b\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[4,5,6]}],\"outputs\":[{\"name\":\"prod\"}]}"
            },
            {
                "ints",
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"INT64\",\"data\":[1,-2,3,4]}],\"parameters\":{}}"
            },
            {"strings", "{\"inputs\":[{\"name\":\"s\",\"shape\":[2],\"datatype\":\"BYTES\",\"data\":[\"a\",\"b c\"]}]}"}
        };
        for (String[] c : cases) {
            JsonNode request = Http.JSON.readTree(c[1]);
            assertThat(OipSpec.validate("inference_request", request))
                    .as("the test's own request %s", c[1])
                    .isEmpty();
            conforms(http.post("/v2/models/" + c[0] + "/versions/1/infer", c[1]), INFER, "post", 200);
        }
    }

    @Test
    void inferenceErrorsConformToTheErrorSchema() throws Exception {
        for (String body : new String[] {
            "{\"inputs\":[{\"name\":\"y\",\"shape\":[1,6],\"datatype\":\"FP32\",\"data\":[1,2,3,4,5,6]}]}",
            "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,6],\"datatype\":\"FP32\",\"data\":[1,2]}]}",
            "{not json"
        }) {
            conforms(http.post("/v2/models/mlp/versions/1/infer", body), INFER, "post", 400);
        }
    }

    @Test
    void theValidatorRefusesAnAnswerThatBreaksTheSpec() {
        // the check can fail: a body missing required fields or with wrong types is reported
        assertThat(OipSpec.validate(
                        "inference_response", Http.JSON.createObjectNode().put("model_name", 3)))
                .isNotEmpty();
        assertThat(OipSpec.validate(
                        "metadata_server_response", Http.JSON.createObjectNode().put("name", "pier")))
                .isNotEmpty();
    }
}
