package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CORS as a browser applies it: a page served from another origin on 127.0.0.1 calls {@code /v2/models/mlp/infer}
 * with {@code fetch} and a JSON body (which makes Chromium send a preflight first) and writes what it got into
 * its DOM, read back with headless Chromium's {@code --dump-dom}. The page from the allowed origin gets the
 * prediction; the same page from another origin gets a network error, and its request never reaches the model.
 */
class CorsBrowserEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void anAllowedOriginGetsThePredictionAndAnotherIsRefused() throws Exception {
        Assumptions.assumeTrue(
                HeadlessChromium.available(), "no /usr/bin/chromium (apt-get install chromium); skipping");
        TestRepository repo = new TestRepository(dir.resolve("repo"));
        String body = ProductionServingEndToEndTest.mlpBody(new float[][] {{1, 2, 3, 4, 5, 6}});
        try (HeadlessChromium.PageServer allowed = new HeadlessChromium.PageServer(page());
                HeadlessChromium.PageServer other = new HeadlessChromium.PageServer(page());
                PierProcess pier = PierProcess.serve(
                        "--model-store",
                        repo.root.toString(),
                        "--cors-allowed-origins",
                        allowed.origin() + ",http://app.example.com")) {
            String query =
                    "?pier=http://127.0.0.1:" + pier.httpPort() + "&body=" + java.net.URLEncoder.encode(body, "UTF-8");

            String fromAllowed =
                    result(HeadlessChromium.dumpDom(allowed.origin() + "/" + query, dir.resolve("profile-a")));
            assertThat(fromAllowed).as("page from the allowed origin").startsWith("OK mlp ");
            String fromOther = result(HeadlessChromium.dumpDom(other.origin() + "/" + query, dir.resolve("profile-b")));
            assertThat(fromOther).as("page from another origin").startsWith("ERR TypeError");

            // the refused page's POST never ran: the preflight was refused, so only the allowed page's request counts
            Http http = new Http(pier.httpPort());
            assertThat(ProductionServingEndToEndTest.metric(
                            http.get("/metrics").text(), "nv_inference_request_success", "mlp", "2"))
                    .isEqualTo(1);

            // the preflight itself, as the Fetch standard describes it
            Http.Answer preflight = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pier.httpPort() + "/v2/models/mlp/infer"))
                            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                            .header("Origin", allowed.origin())
                            .header("Access-Control-Request-Method", "POST")
                            .header("Access-Control-Request-Headers", "content-type"));
            assertThat(preflight.status()).isEqualTo(204);
            assertThat(preflight.raw().headers().firstValue("access-control-allow-origin"))
                    .hasValue(allowed.origin());
            assertThat(preflight
                            .raw()
                            .headers()
                            .firstValue("access-control-allow-methods")
                            .orElse(""))
                    .contains("POST");
            assertThat(preflight
                            .raw()
                            .headers()
                            .firstValue("access-control-allow-headers")
                            .orElse("")
                            .toLowerCase())
                    .contains("content-type");
            Http.Answer refused = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pier.httpPort() + "/v2/models/mlp/infer"))
                            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                            .header("Origin", other.origin())
                            .header("Access-Control-Request-Method", "POST"));
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.raw().headers().firstValue("access-control-allow-origin"))
                    .isEmpty();
            assertThat(refused.json().path("error").asText()).contains(other.origin(), "--cors-allowed-origins");
        }
    }

    @Test
    void aBadOriginIsAUsageError() throws Exception {
        PierProcess.Result r = PierProcess.run(
                dir, "serve", "--cors-allowed-origins", "http://app.example.com/path", "--model-store", dir.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.output()).contains("CORS origin 'http://app.example.com/path' is not scheme://host[:port]");
    }

    /** A page that POSTs its {@code body} parameter to its {@code pier} parameter and writes the outcome into #out. */
    private static String page() {
        return """
                <!doctype html><html><body><pre id="out">pending</pre><script>
                const q = new URLSearchParams(location.search);
                const out = document.getElementById("out");
                fetch(q.get("pier") + "/v2/models/mlp/infer", {method: "POST", headers: {"Content-Type": "application/json"},
                      body: q.get("body")})
                  .then(r => r.json()).then(j => { out.textContent = "OK " + j.model_name + " " + JSON.stringify(j.outputs[0].data); })
                  .catch(e => { out.textContent = "ERR " + e; });
                </script></body></html>
                """;
    }

    private static String result(String dom) {
        Matcher m = Pattern.compile("<pre id=\"out\">([^<]*)</pre>").matcher(dom);
        assertThat(m.find()).as("no #out in the page:\n%s", dom).isTrue();
        return m.group(1);
    }
}
