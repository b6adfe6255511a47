package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 items 6, 7, 8 and 10 against a real process: 414 and 431 carry the JSON error body; readiness of
 * an unknown model is 404 with a reason; load errors name the model and version, not the server's paths;
 * Triton load parameters Pier does not implement are a 400 naming them; clients that hang up mid-request are
 * not logged as errors.
 */
class FrontDoorErrorsEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void everyErrorIsAnsweredWithJsonAndNoServerPath() throws Exception {
        TestRepository repo = new TestRepository(dir.resolve("models"));
        Path broken = repo.root.resolve("broken/1/model.onnx");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, "this is not an ONNX model");
        try (PierProcess pier = PierProcess.serve(
                "--model-repository", repo.root.toString(), "--model-control", "explicit", "--load-model", "multi")) {
            int port = pier.httpPort();

            RawHttp.Reply longLine = RawHttp.send(port, "GET", "/v2/models/" + "m".repeat(6000) + "/ready", null, "");
            assertThat(longLine.status()).isEqualTo(414);
            assertThat(longLine.body()).contains("\"error\"", "request line");
            RawHttp.Reply bigHeaders = sendWithHeader(port, "X-Padding: " + "p".repeat(10_000));
            assertThat(bigHeaders.status()).isEqualTo(431);
            assertThat(bigHeaders.body()).contains("\"error\"", "headers");

            Http http = new Http(port);
            Http.Answer unknown = http.get("/v2/models/nosuch/ready");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.json().get("error").asText()).contains("nosuch");
            assertThat(http.get("/v2/models/multi/ready").status()).isEqualTo(200);

            for (String body : new String[] {
                "{\"parameters\":{\"config\":\"{\\\"backend\\\":\\\"onnxruntime\\\"}\"}}",
                "{\"parameters\":{\"file:1/model.onnx\":\"AAAA\"}}"
            }) {
                Http.Answer load = http.post("/v2/repository/models/mlp/load", body);
                assertThat(load.status()).as(load.text()).isEqualTo(400);
                assertThat(load.json().get("error").asText())
                        .contains(
                                "unsupported repository parameter",
                                body.contains("config") ? "config" : "file:1/model.onnx");
            }
            assertThat(http.post("/v2/repository/index", "{\"ready\":true}").text())
                    .doesNotContain("mlp");
            assertThat(http.post("/v2/repository/models/mlp/load", "{\"parameters\":{}}")
                            .status())
                    .isEqualTo(200);

            Http.Answer failed = http.post("/v2/repository/models/broken/load", "");
            assertThat(failed.status()).isEqualTo(400);
            Http.Answer index = http.post("/v2/repository/index", "{}");
            String root = repo.root.toAbsolutePath().toString();
            assertThat(failed.text()).contains("broken").doesNotContain(root);
            assertThat(index.text()).contains("broken").doesNotContain(root);

            // clients that give up halfway (reset) are routine: no ERROR line, no stack trace
            for (int i = 0; i < 20; i++) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port));
                    OutputStream out = s.getOutputStream();
                    out.write(("POST /v2/models/multi/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: 100000\r\n\r\n{\"inputs\":[")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(20);
                    s.setSoLinger(true, 0); // close with RST
                }
            }
            assertThat(http.get("/v2/health/live").status()).isEqualTo(200);
            Thread.sleep(500); // let the server log whatever it logs about them
            assertThat(pier.output()).doesNotContain(" ERROR ").doesNotContain("\tat ");
        }
    }

    private static RawHttp.Reply sendWithHeader(int port, String header) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(30_000);
            s.getOutputStream()
                    .write(("GET /v2/health/live HTTP/1.1\r\nHost: x\r\n" + header + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            return RawHttp.read(s.getInputStream());
        }
    }
}
