package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.pier.protocol.grpc.health.HealthCheckRequest;
import dev.pier.protocol.grpc.health.HealthCheckResponse;
import dev.pier.protocol.grpc.v2.InferTensorContents;
import dev.pier.protocol.grpc.v2.ModelInferRequest;
import dev.pier.protocol.grpc.v2.ModelInferResponse;
import dev.pier.protocol.grpc.v2.ModelMetadataRequest;
import dev.pier.protocol.grpc.v2.ModelMetadataResponse;
import dev.pier.protocol.grpc.v2.ModelReadyRequest;
import dev.pier.protocol.grpc.v2.ModelReadyResponse;
import dev.pier.protocol.grpc.v2.ServerLiveRequest;
import dev.pier.protocol.grpc.v2.ServerLiveResponse;
import dev.pier.protocol.grpc.v2.ServerMetadataRequest;
import dev.pier.protocol.grpc.v2.ServerMetadataResponse;
import dev.pier.protocol.grpc.v2.ServerReadyRequest;
import dev.pier.protocol.grpc.v2.ServerReadyResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 2's end-to-end specification: {@code pier serve} runs as a real process on free ports and every
 * endpoint of KServe V2 REST, KServe V2 gRPC, grpc.health.v1 and TF Serving REST answers with values that
 * this test computes on its own (see {@link TestRepository}).
 */
class ServeEndToEndTest {
    static final double TOLERANCE = 1e-5;

    @TempDir
    static Path dir;

    static TestRepository repo;
    static PierProcess pier;
    static Http http;
    static GrpcCalls grpc;

    @BeforeAll
    static void start() throws Exception {
        repo = new TestRepository(dir.resolve("models"));
        pier = PierProcess.serve("--model-repository", repo.root.toString(), "--max-body-bytes", "200000");
        http = new Http(pier.httpPort());
        grpc = new GrpcCalls(pier.grpcPort());
    }

    @AfterAll
    static void stop() throws Exception {
        if (grpc != null) {
            grpc.close();
        }
        if (pier != null) {
            pier.close();
        }
    }

    static float[][] rows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][TestRepository.IN];
        for (float[] row : x) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) r.nextDouble();
            }
        }
        return x;
    }

    static String jsonRows(float[][] x) {
        StringJoiner rows = new StringJoiner(",", "[", "]");
        for (float[] row : x) {
            StringJoiner cols = new StringJoiner(",", "[", "]");
            for (float v : row) {
                cols.add(Float.toString(v));
            }
            rows.add(cols.toString());
        }
        return rows.toString();
    }

    void assertMlpRows(JsonNode predictions, float[][] x, int version) {
        assertThat(predictions.size()).isEqualTo(x.length);
        for (int r = 0; r < x.length; r++) {
            double[] expected = repo.mlp(version, x[r]);
            for (int c = 0; c < expected.length; c++) {
                assertThat(predictions.get(r).get(c).asDouble())
                        .as("row %d class %d", r, c)
                        .isCloseTo(expected[c], within(TOLERANCE));
            }
        }
    }

    // ---------------- startup ----------------

    @Test
    void startupPrintsModelsVersionsAndPorts() {
        assertThat(pier.output())
                .contains(
                        "model mlp version 2 AVAILABLE",
                        "model mlp version 1 AVAILABLE",
                        "model multi version 1 AVAILABLE",
                        "model ints version 1 AVAILABLE",
                        "model strings version 1 AVAILABLE");
    }

    // ---------------- KServe V2 REST ----------------

    @Test
    void v2HealthAndServerMetadata() throws Exception {
        assertThat(http.get("/v2/health/live").status()).isEqualTo(200);
        assertThat(http.get("/v2/health/ready").status()).isEqualTo(200);
        JsonNode meta = http.get("/v2").json();
        assertThat(meta.get("name").asText()).isEqualTo("pier");
        assertThat(meta.get("extensions").toString()).contains("binary_tensor_data");
    }

    @Test
    void v2ModelMetadataAndReadiness() throws Exception {
        JsonNode meta = http.get("/v2/models/mlp").json();
        assertThat(meta.get("name").asText()).isEqualTo("mlp");
        assertThat(meta.get("platform").asText()).isEqualTo("onnxruntime_onnx");
        assertThat(meta.get("versions").toString()).contains("\"1\"", "\"2\"");
        assertThat(meta.get("inputs").get(0).get("name").asText()).isEqualTo("x");
        assertThat(meta.get("inputs").get(0).get("datatype").asText()).isEqualTo("FP32");
        assertThat(meta.get("inputs").get(0).get("shape").toString()).isEqualTo("[-1,6]");
        assertThat(meta.get("outputs").get(0).get("shape").toString()).isEqualTo("[-1,3]");
        assertThat(http.get("/v2/models/mlp/versions/1").json().get("name").asText())
                .isEqualTo("mlp");
        assertThat(http.get("/v2/models/mlp/ready").status()).isEqualTo(200);
        assertThat(http.get("/v2/models/mlp/versions/1/ready").status()).isEqualTo(200);
        assertThat(http.get("/v2/models/mlp/versions/7/ready").status()).isNotEqualTo(200);
    }

    @Test
    void v2InferJsonMatchesIndependentForwardPassForEachVersion() throws Exception {
        float[][] x = rows(4, 1);
        String body = "{\"id\":\"req-42\",\"inputs\":[{\"name\":\"x\",\"shape\":[4,6],\"datatype\":\"FP32\",\"data\":"
                + jsonRows(x) + "}]}";
        JsonNode latest = http.post("/v2/models/mlp/infer", body).json();
        assertThat(latest.get("id").asText()).isEqualTo("req-42");
        assertThat(latest.get("model_version").asText()).isEqualTo("2");
        JsonNode out = latest.get("outputs").get(0);
        assertThat(out.get("name").asText()).isEqualTo("probs");
        assertThat(out.get("shape").toString()).isEqualTo("[4,3]");
        assertMlpRows(regroup(out.get("data"), 3), x, 2);

        JsonNode v1 = http.post("/v2/models/mlp/versions/1/infer", body).json();
        assertThat(v1.get("model_version").asText()).isEqualTo("1");
        assertMlpRows(regroup(v1.get("outputs").get(0).get("data"), 3), x, 1);
    }

    static JsonNode regroup(JsonNode flat, int width) {
        var rows = Http.JSON.createArrayNode();
        for (int i = 0; i < flat.size(); i += width) {
            var row = rows.addArray();
            for (int j = 0; j < width; j++) {
                row.add(flat.get(i + j));
            }
        }
        return rows;
    }

    @Test
    void v2InferSeveralInputsOutputsAndRequestedOutputs() throws Exception {
        String body = "{\"inputs\":[{\"name\":\"a\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]},"
                + "{\"name\":\"b\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[[10,20,30]]}],"
                + "\"outputs\":[{\"name\":\"prod\"}]}";
        JsonNode r = http.post("/v2/models/multi/infer", body).json();
        assertThat(r.get("outputs")).hasSize(1);
        assertThat(r.get("outputs").get(0).get("name").asText()).isEqualTo("prod");
        assertThat(r.get("outputs").get(0).get("data").toString()).isEqualTo("[10.0,40.0,90.0]");
        JsonNode all = http.post("/v2/models/multi/infer", body.replace(",\"outputs\":[{\"name\":\"prod\"}]", ""))
                .json();
        assertThat(all.get("outputs")).hasSize(2);
        assertThat(all.toString()).contains("[11.0,22.0,33.0]");
    }

    @Test
    void v2InferInt64AndStrings() throws Exception {
        JsonNode ints = http.post(
                        "/v2/models/ints/infer",
                        "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,4],\"datatype\":\"INT64\",\"data\":[1,2,3,4,5,6,7,9007199254740993]}]}")
                .json();
        JsonNode y = ints.get("outputs").get(0);
        assertThat(y.get("datatype").asText()).isEqualTo("INT64");
        assertThat(y.get("data").get(7).asLong()).isEqualTo(2 * 9007199254740993L);
        assertThat(y.get("data").get(0).asLong()).isEqualTo(2);

        JsonNode s = http.post(
                        "/v2/models/strings/infer",
                        "{\"inputs\":[{\"name\":\"s\",\"shape\":[2],\"datatype\":\"BYTES\",\"data\":[\"héllo\",\"wörld\"]}]}")
                .json();
        assertThat(s.get("outputs").get(0).get("datatype").asText()).isEqualTo("BYTES");
        assertThat(s.get("outputs").get(0).get("data").toString()).isEqualTo("[\"héllo\",\"wörld\"]");
    }

    @Test
    void v2BinaryTensorDataExtension() throws Exception {
        float[][] x = rows(2, 5);
        ByteBuffer raw = ByteBuffer.allocate(2 * 6 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : x) {
            for (float v : row) {
                raw.putFloat(v);
            }
        }
        String header =
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,6],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":48}}],"
                        + "\"outputs\":[{\"name\":\"probs\",\"parameters\":{\"binary_data\":true}}]}";
        byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(headerBytes);
        body.write(raw.array());
        Http.Answer a = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + pier.httpPort() + "/v2/models/mlp/infer"))
                .header("Content-Type", "application/octet-stream")
                .header("Inference-Header-Content-Length", Integer.toString(headerBytes.length))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        assertThat(a.status()).isEqualTo(200);
        int jsonLength = Integer.parseInt(
                a.raw().headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode json = Http.JSON.readTree(new String(a.body(), 0, jsonLength, StandardCharsets.UTF_8));
        assertThat(json.get("outputs")
                        .get(0)
                        .get("parameters")
                        .get("binary_data_size")
                        .asInt())
                .isEqualTo(2 * 3 * 4);
        ByteBuffer out = ByteBuffer.wrap(a.body(), jsonLength, a.body().length - jsonLength)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : x) {
            double[] expected = repo.mlp(2, row);
            for (double e : expected) {
                assertThat((double) out.getFloat()).isCloseTo(e, within(TOLERANCE));
            }
        }
    }

    @Test
    void everyInferenceCarriesARequestIdGeneratedWhenTheClientSentNone() throws Exception {
        float[][] x = rows(1, 3);
        String noId =
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,6],\"datatype\":\"FP32\",\"data\":" + jsonRows(x) + "}]}";
        String first = http.post("/v2/models/mlp/infer", noId).json().get("id").asText();
        String second = http.post("/v2/models/mlp/infer", noId).json().get("id").asText();
        assertThat(java.util.UUID.fromString(first).version()).isEqualTo(4);
        assertThat(second).isNotEqualTo(first);

        String tfBody = "{\"instances\":" + jsonRows(x) + "}";
        Http.Answer generated = http.post("/v1/models/mlp:predict", tfBody);
        assertThat(generated.status()).isEqualTo(200);
        assertThat(java.util
                        .UUID
                        .fromString(generated
                                .raw()
                                .headers()
                                .firstValue("X-Request-Id")
                                .orElseThrow())
                        .version())
                .isEqualTo(4);
        Http.Answer chosen = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + http.port + "/v1/models/mlp:predict"))
                .header("Content-Type", "application/json")
                .header("X-Request-Id", "client-7")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(tfBody)));
        assertThat(chosen.raw().headers().firstValue("X-Request-Id")).contains("client-7");
    }

    // ---------------- TF Serving REST ----------------

    @Test
    void tfServingStatusAndMetadata() throws Exception {
        JsonNode status = http.get("/v1/models/mlp").json();
        assertThat(status.get("model_version_status").toString())
                .contains("\"version\":\"2\"", "\"state\":\"AVAILABLE\"");
        JsonNode one = http.get("/v1/models/mlp/versions/1").json();
        assertThat(one.get("model_version_status")).hasSize(1);
        assertThat(one.get("model_version_status").get(0).get("version").asText())
                .isEqualTo("1");
        JsonNode meta = http.get("/v1/models/mlp/metadata").json();
        JsonNode sig = meta.at("/metadata/signature_def/signature_def/serving_default");
        assertThat(sig.at("/inputs/x/dtype").asText()).isEqualTo("DT_FLOAT");
        assertThat(sig.at("/inputs/x/tensor_shape/dim/1/size").asText()).isEqualTo("6");
        assertThat(sig.at("/outputs/probs/dtype").asText()).isEqualTo("DT_FLOAT");
    }

    @Test
    void tfServingPredictRowAndColumnarFormats() throws Exception {
        float[][] x = rows(3, 9);
        JsonNode row = http.post(
                        "/v1/models/mlp:predict",
                        "{\"signature_name\":\"serving_default\",\"instances\":" + jsonRows(x) + "}")
                .json();
        assertMlpRows(row.get("predictions"), x, 2);
        JsonNode v1 = http.post("/v1/models/mlp/versions/1:predict", "{\"instances\":" + jsonRows(x) + "}")
                .json();
        assertMlpRows(v1.get("predictions"), x, 1);
        JsonNode columnar = http.post("/v1/models/mlp:predict", "{\"inputs\":" + jsonRows(x) + "}")
                .json();
        assertMlpRows(columnar.get("outputs"), x, 2);

        JsonNode multi = http.post(
                        "/v1/models/multi:predict",
                        "{\"instances\":[{\"a\":[1,2,3],\"b\":[4,5,6]},{\"a\":[0,0,1],\"b\":[2,2,2]}]}")
                .json();
        assertThat(multi.get("predictions").get(0).get("sum").toString()).isEqualTo("[5.0,7.0,9.0]");
        assertThat(multi.get("predictions").get(1).get("prod").toString()).isEqualTo("[0.0,0.0,2.0]");
    }

    @Test
    void tfServingAcceptsNonFiniteNumbers() throws Exception {
        Http.Answer a = http.post(
                "/v1/models/multi:predict", "{\"instances\":[{\"a\":[NaN,Infinity,1],\"b\":[1,1,-Infinity]}]}");
        assertThat(a.status()).isEqualTo(200);
        JsonNode sum = a.json().get("predictions").get(0).get("sum");
        assertThat(sum.get(0).asDouble()).isNaN();
        assertThat(sum.get(1).asDouble()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(sum.get(2).asDouble()).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    // ---------------- gRPC ----------------

    @Test
    void grpcServerAndModelCalls() {
        assertThat(grpc.v2(
                                "ServerLive",
                                ServerLiveRequest.getDefaultInstance(),
                                ServerLiveResponse.getDefaultInstance())
                        .getLive())
                .isTrue();
        assertThat(grpc.v2(
                                "ServerReady",
                                ServerReadyRequest.getDefaultInstance(),
                                ServerReadyResponse.getDefaultInstance())
                        .getReady())
                .isTrue();
        assertThat(grpc.v2(
                                "ModelReady",
                                ModelReadyRequest.newBuilder()
                                        .setName("mlp")
                                        .setVersion("1")
                                        .build(),
                                ModelReadyResponse.getDefaultInstance())
                        .getReady())
                .isTrue();
        ServerMetadataResponse server = grpc.v2(
                "ServerMetadata",
                ServerMetadataRequest.getDefaultInstance(),
                ServerMetadataResponse.getDefaultInstance());
        assertThat(server.getName()).isEqualTo("pier");
        ModelMetadataResponse meta = grpc.v2(
                "ModelMetadata",
                ModelMetadataRequest.newBuilder().setName("mlp").build(),
                ModelMetadataResponse.getDefaultInstance());
        assertThat(meta.getPlatform()).isEqualTo("onnxruntime_onnx");
        assertThat(meta.getInputs(0).getShapeList()).containsExactly(-1L, 6L);
        HealthCheckResponse health = grpc.call(
                "grpc.health.v1.Health",
                "Check",
                HealthCheckRequest.getDefaultInstance(),
                HealthCheckResponse.getDefaultInstance());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void grpcInferWithTypedAndRawContents() {
        float[][] x = rows(2, 11);
        InferTensorContents.Builder typed = InferTensorContents.newBuilder();
        ByteBuffer raw = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : x) {
            for (float v : row) {
                typed.addFp32Contents(v);
                raw.putFloat(v);
            }
        }
        ModelInferRequest.InferInputTensor.Builder input = ModelInferRequest.InferInputTensor.newBuilder()
                .setName("x")
                .setDatatype("FP32")
                .addShape(2)
                .addShape(6);
        ModelInferResponse typedAnswer = grpc.v2(
                "ModelInfer",
                ModelInferRequest.newBuilder()
                        .setModelName("mlp")
                        .setId("g1")
                        .addInputs(input.clone().setContents(typed))
                        .build(),
                ModelInferResponse.getDefaultInstance());
        ModelInferResponse rawAnswer = grpc.v2(
                "ModelInfer",
                ModelInferRequest.newBuilder()
                        .setModelName("mlp")
                        .setModelVersion("1")
                        .addInputs(input.clone())
                        .addRawInputContents(ByteString.copyFrom(raw.array()))
                        .build(),
                ModelInferResponse.getDefaultInstance());
        assertThat(typedAnswer.getId()).isEqualTo("g1");
        assertThat(typedAnswer.getModelVersion()).isEqualTo("2");
        assertThat(rawAnswer.getModelVersion()).isEqualTo("1");
        assertThat(typedAnswer.getOutputs(0).getShapeList()).containsExactly(2L, 3L);
        for (int[] vr : new int[][] {{2, 0}, {1, 1}}) {
            ModelInferResponse answer = vr[1] == 0 ? typedAnswer : rawAnswer;
            float[] got = floats(answer);
            for (int r = 0; r < 2; r++) {
                double[] expected = repo.mlp(vr[0], x[r]);
                for (int c = 0; c < 3; c++) {
                    assertThat((double) got[r * 3 + c]).isCloseTo(expected[c], within(TOLERANCE));
                }
            }
        }
    }

    static float[] floats(ModelInferResponse answer) {
        if (answer.getRawOutputContentsCount() > 0) {
            ByteBuffer b = answer.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[b.remaining() / 4];
            b.asFloatBuffer().get(out);
            return out;
        }
        var list = answer.getOutputs(0).getContents().getFp32ContentsList();
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    @Test
    void grpcErrorsCarryStatusAndMessage() {
        assertThatThrownBy(() -> grpc.v2(
                        "ModelInfer",
                        ModelInferRequest.newBuilder().setModelName("nope").build(),
                        ModelInferResponse.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains("nope");
                });
        assertThatThrownBy(() -> grpc.v2(
                        "ModelInfer",
                        ModelInferRequest.newBuilder()
                                .setModelName("mlp")
                                .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                                        .setName("x")
                                        .setDatatype("FP32")
                                        .addShape(1)
                                        .addShape(5)
                                        .setContents(InferTensorContents.newBuilder()
                                                .addAllFp32Contents(java.util.List.of(1f, 2f, 3f, 4f, 5f))))
                                .build(),
                        ModelInferResponse.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("x").contains("6");
                });
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
