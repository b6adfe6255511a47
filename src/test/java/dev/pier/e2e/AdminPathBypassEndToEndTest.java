package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 1: the repository API (and inference) cannot be reached with a weaker token by spelling the
 * path differently from what the router dispatches. Every spelling below is sent byte for byte, against every
 * repository endpoint, with no token, the inference token and the admin token; the model that an unload
 * through a bypass would stop must still be ready at the end.
 */
class AdminPathBypassEndToEndTest {
    static final List<String> SPELLINGS = List.of(
            "/v2/repository/%s",
            "//v2/repository/%s",
            "/v2//repository/%s",
            "/v2/%%72epository/%s",
            "/v2/models/%%2e%%2e/repository/%s",
            "/v2/models/x/../../repository/%s",
            "/v2/./repository/%s",
            "/../v2/repository/%s",
            "/%%76%%32/repository/%s",
            "/V2/Repository/%s",
            "/v2/REPOSITORY/%s",
            "/v2/repository;x=1/%s",
            "/v2;a/repository/%s",
            "/v2%%2frepository/%s",
            "/v2/models/..%%2frepository/%s",
            "/v2/models/%%c0%%ae%%c0%%ae/repository/%s",
            "/v2%%c0%%afrepository/%s",
            "/v2/models/%%252e%%252e/repository/%s",
            "/v2/repository/%s?x=1",
            "/v2/models/multi/../../repository/%s",
            "/v2/repository//%s");
    static final List<String> ENDPOINTS = List.of("index", "models/multi/load", "models/multi/unload");

    @TempDir
    Path dir;

    @Test
    void noSpellingOfTheRepositoryApiAcceptsAWeakerToken() throws Exception {
        TestRepository repo = new TestRepository(dir.resolve("models"));
        Files.writeString(dir.resolve("token"), "infer-secret\n");
        Files.writeString(dir.resolve("admin"), "admin-secret\n");
        try (PierProcess pier = PierProcess.serve(
                "--model-repository",
                repo.root.toString(),
                "--model-control",
                "explicit",
                "--load-model",
                "multi",
                "--auth-token-file",
                dir.resolve("token").toString(),
                "--admin-token-file",
                dir.resolve("admin").toString())) {
            int port = pier.httpPort();
            List<String> bypasses = new ArrayList<>();
            int attempts = 0;
            for (String endpoint : ENDPOINTS) {
                for (String spelling : SPELLINGS) {
                    String target = String.format(spelling, endpoint);
                    for (String token : new String[] {null, "infer-secret", "wrong"}) {
                        RawHttp.Reply r = RawHttp.send(port, "POST", target, token, "{}");
                        attempts++;
                        if (r.status() < 400 || r.status() >= 500) {
                            bypasses.add("POST " + target + " with " + token + " -> " + r.status() + " " + r.body());
                        }
                        if (r.status() == 401) {
                            assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
                            assertThat(r.body()).contains("\"error\"");
                        }
                    }
                }
            }
            // inference endpoints: no token, any spelling
            for (String target : List.of(
                    "/v2/models/multi/infer",
                    "//v2/models/multi/infer",
                    "/v2/models/%6dulti/infer",
                    "/v2/models/x/../multi/infer",
                    "/v2/health/../models/multi/infer",
                    "/v2/models/multi/ready",
                    "/v2")) {
                RawHttp.Reply r = RawHttp.send(port, "POST", target, null, SecurityEndToEndTest.MULTI);
                attempts++;
                if (r.status() != 401) {
                    bypasses.add("POST " + target + " without token -> " + r.status() + " " + r.body());
                }
            }
            System.out.printf(
                    "admin bypass probe: %d attempts with no, wrong or inference token, %d accepted%n",
                    attempts, bypasses.size());
            assertThat(bypasses).as("requests that got past the token check").isEmpty();

            // the admin token works on the spelling the router dispatches, and never gets 401 on the others
            assertThat(RawHttp.send(port, "POST", "/v2/repository/index", "admin-secret", "{}")
                            .status())
                    .isEqualTo(200);
            assertThat(RawHttp.send(port, "POST", "//v2/repository/index", "admin-secret", "{}")
                            .status())
                    .isEqualTo(200);
            for (String spelling : SPELLINGS) {
                assertThat(RawHttp.send(port, "POST", String.format(spelling, "index"), "admin-secret", "{}")
                                .status())
                        .as(spelling)
                        .isNotEqualTo(401);
            }
            RawHttp.Reply ready = RawHttp.send(port, "GET", "/v2/models/multi/ready", "infer-secret", "");
            assertThat(ready.status())
                    .as("multi was not unloaded through a bypass")
                    .isEqualTo(200);
        }
    }
}
