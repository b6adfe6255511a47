package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad request gets its protocol's 4xx status and a message naming what was wrong, while a
 * parallel stream of good requests keeps succeeding; a model that fails to load is reported with its
 * reason and does not stop the others. The server is a real {@code pier serve} process.
 */
class BadInputEndToEndTest {
    @TempDir
    static Path dir;

    static PierProcess pier;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        TestRepository repo = new TestRepository(dir.resolve("models"));
        Path broken = repo.root.resolve("broken").resolve("1");
        Files.createDirectories(broken);
        Files.write(broken.resolve("model.onnx"), "this is not an ONNX model".getBytes());
        pier = PierProcess.serve("--model-repository", repo.root.toString(), "--max-body-bytes", "100000");
        http = new Http(pier.httpPort());
    }

    @AfterAll
    static void stop() {
        if (pier != null) {
            pier.close();
        }
    }

    record Case(String what, String path, String body, String contentType, int status, String... mentions) {}

    static final String GOOD = "{\"inputs\":[{\"name\":\"a\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]},"
            + "{\"name\":\"b\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,1,1]}]}";

    static List<Case> cases() {
        String big = "{\"instances\":[" + "1.0,".repeat(40_000) + "1.0]}";
        return List.of(
                new Case("malformed JSON", "/v2/models/multi/infer", "{\"inputs\": [", "application/json", 400, "json"),
                new Case(
                        "wrong datatype",
                        "/v2/models/multi/infer",
                        GOOD.replace("\"FP32\",\"data\":[1,2,3]", "\"INT64\",\"data\":[1,2,3]"),
                        "application/json",
                        400,
                        "a",
                        "FP32",
                        "INT64"),
                new Case(
                        "unknown datatype",
                        "/v2/models/multi/infer",
                        GOOD.replace("\"FP32\",\"data\":[1,2,3]", "\"FLOAT\",\"data\":[1,2,3]"),
                        "application/json",
                        400,
                        "FLOAT"),
                new Case(
                        "shape does not match data",
                        "/v2/models/multi/infer",
                        GOOD.replace("[1,2,3]", "[1,2]"),
                        "application/json",
                        400,
                        "a",
                        "[1, 3]"),
                new Case(
                        "shape does not match model",
                        "/v2/models/multi/infer",
                        GOOD.replace(
                                "\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]",
                                "\"shape\":[1,2],\"datatype\":\"FP32\",\"data\":[1,2]"),
                        "application/json",
                        400,
                        "a",
                        "[1, 2]"),
                new Case(
                        "missing input",
                        "/v2/models/multi/infer",
                        "{\"inputs\":[{\"name\":\"a\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}",
                        "application/json",
                        400,
                        "b"),
                new Case(
                        "unknown input",
                        "/v2/models/multi/infer",
                        GOOD.replace("\"name\":\"b\"", "\"name\":\"c\""),
                        "application/json",
                        400,
                        "c"),
                new Case(
                        "unknown output",
                        "/v2/models/multi/infer",
                        GOOD.replace("]}]}", "]}],\"outputs\":[{\"name\":\"nope\"}]}"),
                        "application/json",
                        400,
                        "nope"),
                new Case("unknown model (V2)", "/v2/models/nope/infer", GOOD, "application/json", 404, "nope"),
                new Case(
                        "unknown version (V2)",
                        "/v2/models/multi/versions/9/infer",
                        GOOD,
                        "application/json",
                        404,
                        "9"),
                new Case(
                        "unknown model (TF)",
                        "/v1/models/nope:predict",
                        "{\"instances\":[1]}",
                        "application/json",
                        404,
                        "nope"),
                new Case(
                        "unknown version (TF)",
                        "/v1/models/multi/versions/9:predict",
                        "{\"instances\":[1]}",
                        "application/json",
                        404,
                        "9"),
                new Case(
                        "TF instances of the wrong shape",
                        "/v1/models/multi:predict",
                        "{\"instances\":[{\"a\":[1,2],\"b\":[1,2]}]}",
                        "application/json",
                        400,
                        "a"),
                new Case(
                        "TF unknown signature",
                        "/v1/models/multi:predict",
                        "{\"signature_name\":\"other\",\"instances\":[1]}",
                        "application/json",
                        400,
                        "other"),
                new Case("body over the limit", "/v1/models/multi:predict", big, "application/json", 413, "100000"),
                new Case("wrong content type", "/v2/models/multi/infer", GOOD, "text/xml", 415, "text/xml"));
    }

    @Test
    void everyBadRequestGetsItsStatusAndANamingMessageWhileGoodTrafficContinues() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger good = new AtomicInteger();
        List<String> goodFailures = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread stream = Thread.ofPlatform().start(() -> {
            Http client = new Http(pier.httpPort());
            while (running.get()) {
                try {
                    Http.Answer a = client.post("/v2/models/multi/infer", GOOD);
                    if (a.status() == 200 && a.text().contains("[2.0,3.0,4.0]")) {
                        good.incrementAndGet();
                    } else {
                        goodFailures.add(a.status() + " " + a.text());
                    }
                } catch (Exception e) {
                    goodFailures.add(e.toString());
                }
            }
        });
        try {
            for (int round = 0; round < 3; round++) {
                for (Case c : cases()) {
                    Http.Answer a = http.post(c.path(), c.body().getBytes(), c.contentType());
                    assertThat(a.status()).as(c.what() + ": " + a.text()).isEqualTo(c.status());
                    String error = a.json().get("error").asText();
                    for (String m : c.mentions()) {
                        assertThat(error.toLowerCase()).as(c.what()).contains(m.toLowerCase());
                    }
                }
            }
        } finally {
            running.set(false);
            stream.join();
        }
        assertThat(goodFailures).isEmpty();
        assertThat(good.get()).isPositive();
        assertThat(pier.isAlive()).isTrue();
    }

    @Test
    void aModelThatFailsToLoadIsReportedAndTheOthersServe() throws Exception {
        assertThat(pier.output()).contains("model broken version 1 FAILED");
        var status =
                http.get("/v1/models/broken").json().get("model_version_status").get(0);
        assertThat(status.get("state").asText()).isEqualTo("END");
        assertThat(status.at("/status/error_message").asText()).isNotEmpty();
        assertThat(http.post("/v2/models/multi/infer", GOOD).status()).isEqualTo(200);
        assertThat(http.get("/v2/models/multi/ready").status()).isEqualTo(200);
        assertThat(http.get("/v2/models/broken/ready").status()).isNotEqualTo(200);
        // readiness means every configured model serves
        assertThat(http.get("/v2/health/ready").status()).isEqualTo(503);
    }
}
