package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.protocol.grpc.health.HealthCheckRequest;
import dev.pier.protocol.grpc.health.HealthCheckResponse;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 items 5 and 8 against real processes: bearer tokens for inference and for the repository API
 * ({@code --model-control explicit}: index, load, unload), open health checks, model names validated; and
 * TLS from a self-signed PEM made here with the openssl CLI, with plaintext refused on the same port.
 */
class SecurityEndToEndTest {
    static final String MULTI = "{\"inputs\":[{\"name\":\"a\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]},"
            + "{\"name\":\"b\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[4,5,6]}],\"outputs\":[{\"name\":\"sum\"}]}";

    @TempDir
    Path dir;

    @Test
    void tokensGuardInferenceAndTheRepositoryApiInExplicitMode() throws Exception {
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
            Http http = new Http(pier.httpPort());
            assertThat(http.get("/v2/health/ready").status())
                    .as("probes need no token")
                    .isEqualTo(200);
            assertThat(post(http, "/v2/models/multi/infer", MULTI, null).status())
                    .isEqualTo(401);
            Http.Answer wrong = post(http, "/v2/models/multi/infer", MULTI, "nope");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.raw().headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            Http.Answer right = post(http, "/v2/models/multi/infer", MULTI, "infer-secret");
            assertThat(right.status()).isEqualTo(200);
            JsonNode sum = right.json().get("outputs").get(0).get("data");
            assertThat(List.of(
                            sum.get(0).asDouble(),
                            sum.get(1).asDouble(),
                            sum.get(2).asDouble()))
                    .containsExactly(5.0, 7.0, 9.0);

            // explicit mode: mlp is in the repository but not loaded
            assertThat(post(http, "/v2/models/mlp/infer", mlpRequest(), "infer-secret")
                            .status())
                    .isIn(404, 503);
            assertThat(post(http, "/v2/repository/index", "{}", "infer-secret").status())
                    .as("inference token is not admin")
                    .isEqualTo(401);
            Http.Answer index = post(http, "/v2/repository/index", "{}", "admin-secret");
            assertThat(index.status()).isEqualTo(200);
            assertThat(index.text())
                    .contains(
                            "\"name\":\"mlp\",\"state\":\"UNAVAILABLE\"",
                            "\"name\":\"multi\",\"version\":\"1\",\"state\":\"READY\"");

            assertThat(post(http, "/v2/repository/models/mlp/load", "", "admin-secret")
                            .status())
                    .isEqualTo(200);
            Http.Answer mlp = post(http, "/v2/models/mlp/infer", mlpRequest(), "infer-secret");
            assertThat(mlp.status()).isEqualTo(200);
            assertThat(mlp.json().get("model_version").asText()).isEqualTo("2");
            double[] expected = repo.mlp(2, new float[] {0, 1, 0, 1, 0, 1});
            for (int k = 0; k < expected.length; k++) {
                assertThat(mlp.json().get("outputs").get(0).get("data").get(k).asDouble())
                        .isCloseTo(expected[k], within(1e-5));
            }
            assertThat(post(http, "/v2/repository/models/mlp/unload", "{}", "admin-secret")
                            .status())
                    .isEqualTo(200);
            assertThat(post(http, "/v2/models/mlp/infer", mlpRequest(), "infer-secret")
                            .status())
                    .isIn(404, 503);

            assertThat(post(http, "/v2/repository/models/nosuch/load", "", "admin-secret")
                            .status())
                    .isEqualTo(404);
            Http.Answer bad = post(http, "/v2/repository/models/bad%24name/load", "", "admin-secret");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.text()).contains("not a valid model name");

            try (GrpcCalls grpc = new GrpcCalls(pier.grpcPort())) {
                HealthCheckResponse health = grpc.call(
                        "grpc.health.v1.Health",
                        "Check",
                        HealthCheckRequest.getDefaultInstance(),
                        HealthCheckResponse.getDefaultInstance());
                assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
                assertThatThrownBy(() -> grpc.v2(
                                "ServerMetadata",
                                dev.pier.protocol.grpc.v2.ServerMetadataRequest.getDefaultInstance(),
                                dev.pier.protocol.grpc.v2.ServerMetadataResponse.getDefaultInstance()))
                        .isInstanceOf(StatusRuntimeException.class)
                        .hasMessageContaining("UNAUTHENTICATED");
            }
        }
    }

    @Test
    void tlsFromPemServesHttpsAndRefusesPlaintext() throws Exception {
        TestRepository repo = new TestRepository(dir.resolve("models"));
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-days",
                        "2",
                        "-subj",
                        "/CN=127.0.0.1",
                        "-addext",
                        "subjectAltName=IP:127.0.0.1",
                        "-keyout",
                        key.toString(),
                        "-out",
                        cert.toString())
                .redirectErrorStream(true)
                .start();
        String log = new String(openssl.getInputStream().readAllBytes());
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0)
                .as("openssl: " + log)
                .isTrue();

        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry(
                    "pier", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);

        try (PierProcess pier = PierProcess.serve(
                "--model-repository",
                repo.root.toString(),
                "--tls-cert",
                cert.toString(),
                "--tls-key",
                key.toString())) {
            // issue 14 item 9: the banner names the scheme clients must use
            assertThat(pier.output())
                    .contains("on https://127.0.0.1:" + pier.httpPort())
                    .doesNotContain("http://127.0.0.1");
            HttpClient https = HttpClient.newBuilder().sslContext(ssl).build();
            HttpResponse<String> answer = https.send(
                    HttpRequest.newBuilder(
                                    URI.create("https://127.0.0.1:" + pier.httpPort() + "/v2/models/multi/infer"))
                            .POST(HttpRequest.BodyPublishers.ofString(MULTI))
                            .header("Content-Type", "application/json")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(Http.JSON
                            .readTree(answer.body())
                            .get("outputs")
                            .get(0)
                            .get("data")
                            .get(2)
                            .asDouble())
                    .isEqualTo(9.0);

            Http plain = new Http(pier.httpPort());
            assertThatThrownBy(() -> plain.get("/v2/health/ready"))
                    .as("plaintext on the TLS port")
                    .isInstanceOf(IOException.class);

            io.grpc.ManagedChannel channel = io.grpc.Grpc.newChannelBuilderForAddress(
                            "127.0.0.1",
                            pier.grpcPort(),
                            io.grpc.TlsChannelCredentials.newBuilder()
                                    .trustManager(cert.toFile())
                                    .build())
                    .build();
            try {
                HealthCheckResponse health = io.grpc.stub.ClientCalls.blockingUnaryCall(
                        channel,
                        healthCheck(),
                        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS),
                        HealthCheckRequest.getDefaultInstance());
                assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static io.grpc.MethodDescriptor<HealthCheckRequest, HealthCheckResponse> healthCheck() {
        return io.grpc.MethodDescriptor.<HealthCheckRequest, HealthCheckResponse>newBuilder()
                .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("grpc.health.v1.Health/Check")
                .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(HealthCheckRequest.getDefaultInstance()))
                .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(HealthCheckResponse.getDefaultInstance()))
                .build();
    }

    private static String mlpRequest() {
        return "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,6],\"datatype\":\"FP32\",\"data\":[0,1,0,1,0,1]}]}";
    }

    private static Http.Answer post(Http http, String path, String body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(http) + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b);
    }

    private static int port(Http http) {
        return http.port;
    }
}
