package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.api.DataType;
import dev.pier.onnx.Activation;
import dev.pier.onnx.DenseLayer;
import dev.pier.onnx.OnnxModelBuilder;
import dev.pier.onnx.OnnxNetworks;
import dev.pier.protocol.grpc.v2.InferTensorContents;
import dev.pier.protocol.grpc.v2.ModelInferRequest;
import dev.pier.protocol.grpc.v2.ModelInferResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 18 item 1 with a real server process: Triton-style ensembles in config.yaml. A two-model chain answers
 * exactly what running its two models by hand answers (V2 REST, V2 gRPC and TF Serving REST); a diamond of independent steps
 * equals the same arithmetic in plain Java; each graph error (unknown model, type and shape mismatch, a tensor
 * produced twice or never, a cycle) leaves that ensemble FAILED with a message naming step and tensor while every
 * other model serves; the classification extension answers in Triton's "score:index:label" form; the ensemble and
 * its composing models each have their own metrics; a user step added through the SPI serves and composes; and a
 * composing model rolled forward is used by the ensemble without a restart, as is a fixed ensemble config.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GraphEndToEndTest {
    static Path dir;
    static PierProcess pier;
    static Http http;
    static final DenseLayer[][] roll = new DenseLayer[3][];
    static final float[] X = {0.1f, -0.4f, 0.3f, 0.5f, 0.2f, -0.7f};

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("pier-graph");
        Path repo = dir.resolve("models");
        save(
                repo,
                "double",
                1,
                OnnxModelBuilder.create("double")
                        .input("x", DataType.FP32, "batch", 6)
                        .node("Add", List.of("x", "x"), List.of("y"))
                        .output("y", DataType.FP32, "batch", 6));
        save(
                repo,
                "multi",
                1,
                OnnxModelBuilder.create("multi")
                        .input("a", DataType.FP32, "batch", 3)
                        .input("b", DataType.FP32, "batch", 3)
                        .node("Add", List.of("a", "b"), List.of("sum"))
                        .node("Mul", List.of("a", "b"), List.of("prod"))
                        .output("sum", DataType.FP32, "batch", 3)
                        .output("prod", DataType.FP32, "batch", 3));
        save(
                repo,
                "ints",
                1,
                OnnxModelBuilder.create("ints")
                        .input("x", DataType.INT64, "batch", 6)
                        .node("Add", List.of("x", "x"), List.of("y"))
                        .output("y", DataType.INT64, "batch", 6));
        dropRoll(repo, 1);
        // rolled forward in test 8: version 2 changes the output's shape, version 3 fits again
        dropShifty(
                repo,
                1,
                OnnxModelBuilder.create("shifty")
                        .input("x", DataType.FP32, "batch", 6)
                        .node("Add", List.of("x", "x"), List.of("y"))
                        .output("y", DataType.FP32, "batch", 6));
        Files.writeString(repo.resolve("shifty/config.yaml"), "version_policy: {all: {}}\n");

        ensemble(
                repo,
                "chain",
                "raw",
                "TYPE_FP32",
                "[-1, 6]",
                "probs",
                "TYPE_FP32",
                "[-1, 3]",
                """
                    - {model_name: double, model_version: -1, input_map: {x: raw}, output_map: {y: doubled}}
                    - {model_name: roll, model_version: -1, input_map: {x: doubled}, output_map: {probs: probs}}
                """,
                "label_filename: labels.txt");
        Files.writeString(repo.resolve("chain/labels.txt"), "cat\ndog\nbird\n");
        Files.writeString(mkdirs(repo.resolve("diamond")).resolve("config.yaml"), """
                platform: ensemble
                input: [{name: a, data_type: TYPE_FP32, dims: [-1, 3]}, {name: b, data_type: TYPE_FP32, dims: [-1, 3]}]
                output: [{name: out_sum, data_type: TYPE_FP32, dims: [-1, 3]}, {name: out_prod, data_type: TYPE_FP32, dims: [-1, 3]}]
                ensemble_scheduling:
                  step:
                    - {model_name: multi, input_map: {a: s1, b: p2}, output_map: {sum: out_sum, prod: out_prod}}
                    - {model_name: multi, input_map: {a: a, b: b}, output_map: {sum: s1, prod: p1}}
                    - {model_name: multi, input_map: {a: b, b: a}, output_map: {sum: s2, prod: p2}}
                """);
        ensemble(repo, "follows", "raw", "TYPE_FP32", "[-1, 6]", "probs", "TYPE_FP32", "[-1, 3]", """
                    - {model_name: shifty, model_version: -1, input_map: {x: raw}, output_map: {y: mid}}
                    - {model_name: roll, input_map: {x: mid}, output_map: {probs: probs}}
                """, "");
        ensemble(repo, "pinned", "raw", "TYPE_FP32", "[-1, 6]", "probs", "TYPE_FP32", "[-1, 3]", """
                    - {model_name: shifty, model_version: 1, input_map: {x: raw}, output_map: {y: mid}}
                    - {model_name: roll, input_map: {x: mid}, output_map: {probs: probs}}
                """, "");
        // a user's own step through the SPI, served alone and inside an ensemble
        Files.writeString(mkdirs(repo.resolve("scale")).resolve("config.yaml"), """
                platform: example_scale
                parameters: {factor: {string_value: "2"}}
                """);
        ensemble(repo, "spi_chain", "raw", "TYPE_FP32", "[-1, 6]", "probs", "TYPE_FP32", "[-1, 3]", """
                    - {model_name: scale, input_map: {x: raw}, output_map: {y: doubled}}
                    - {model_name: roll, input_map: {x: doubled}, output_map: {probs: probs}}
                """, "");

        ensemble(repo, "bad_unknown", "raw", "TYPE_FP32", "[-1, 6]", "probs", "TYPE_FP32", "[-1, 3]", """
                    - {model_name: nosuch, input_map: {x: raw}, output_map: {probs: probs}}
                """, "");
        ensemble(repo, "bad_type", "raw", "TYPE_FP32", "[-1, 6]", "y", "TYPE_INT64", "[-1, 6]", """
                    - {model_name: ints, input_map: {x: raw}, output_map: {y: y}}
                """, "");
        ensemble(repo, "bad_shape", "raw", "TYPE_FP32", "[-1, 6]", "y", "TYPE_FP32", "[-1, 6]", """
                    - {model_name: roll, input_map: {x: raw}, output_map: {probs: p}}
                    - {model_name: double, input_map: {x: p}, output_map: {y: y}}
                """, "");
        ensemble(repo, "bad_twice", "raw", "TYPE_FP32", "[-1, 6]", "y", "TYPE_FP32", "[-1, 6]", """
                    - {model_name: double, input_map: {x: raw}, output_map: {y: y}}
                    - {model_name: double, input_map: {x: raw}, output_map: {y: y}}
                """, "");
        ensemble(repo, "bad_never", "raw", "TYPE_FP32", "[-1, 6]", "y", "TYPE_FP32", "[-1, 6]", """
                    - {model_name: double, input_map: {x: nowhere}, output_map: {y: y}}
                """, "");
        ensemble(repo, "bad_cycle", "raw", "TYPE_FP32", "[-1, 6]", "y", "TYPE_FP32", "[-1, 6]", """
                    - {model_name: double, input_map: {x: t2}, output_map: {y: t1}}
                    - {model_name: double, input_map: {x: t1}, output_map: {y: t2}}
                    - {model_name: double, input_map: {x: raw}, output_map: {y: y}}
                """, "");

        pier = PierProcess.serve(
                "--model-repository", repo.toString(), "--model-control", "poll", "--poll-interval", "200ms");
        http = new Http(pier.httpPort());
    }

    @AfterAll
    static void stop() {
        if (pier != null) {
            pier.close();
        }
    }

    @Test
    @Order(1)
    void aTwoModelEnsembleEqualsRunningTheTwoByHand() throws Exception {
        String rowX = Arrays.toString(X);
        JsonNode doubled = http.post("/v2/models/double/infer", v2("x", "[1, 6]", rowX))
                .json()
                .get("outputs")
                .get(0)
                .get("data");
        JsonNode byHand = http.post("/v2/models/roll/infer", v2("x", "[1, 6]", doubled.toString()))
                .json()
                .get("outputs")
                .get(0)
                .get("data");

        Http.Answer v2 = http.post("/v2/models/chain/infer", v2("raw", "[1, 6]", rowX));
        assertThat(v2.status()).as(v2.text()).isEqualTo(200);
        assertThat(v2.json().get("model_name").asText()).isEqualTo("chain");
        assertThat(v2.json().get("outputs").get(0).get("name").asText()).isEqualTo("probs");
        assertThat(v2.json().get("outputs").get(0).get("data")).isEqualTo(byHand);

        Http.Answer tf = http.post("/v1/models/chain:predict", "{\"instances\": [" + rowX + "]}");
        assertThat(tf.status()).as(tf.text()).isEqualTo(200);
        assertThat(tf.json().get("predictions").get(0)).isEqualTo(byHand);

        try (GrpcCalls grpc = new GrpcCalls(pier.grpcPort())) {
            List<Float> values = new ArrayList<>();
            for (float v : X) {
                values.add(v);
            }
            ModelInferResponse g = grpc.v2(
                    "ModelInfer",
                    ModelInferRequest.newBuilder()
                            .setModelName("chain")
                            .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                                    .setName("raw")
                                    .setDatatype("FP32")
                                    .addShape(1)
                                    .addShape(6)
                                    .setContents(
                                            InferTensorContents.newBuilder().addAllFp32Contents(values)))
                            .build(),
                    ModelInferResponse.getDefaultInstance());
            java.nio.ByteBuffer raw =
                    g.getRawOutputContents(0).asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < 3; k++) {
                assertThat(raw.getFloat(k * 4)).isEqualTo(byHand.get(k).floatValue());
            }
        }

        double[] expected = TestRepository.forward(roll[1], times2(X));
        for (int k = 0; k < expected.length; k++) {
            assertThat(byHand.get(k).asDouble()).isCloseTo(expected[k], org.assertj.core.api.Assertions.within(1e-5));
        }
        Http.Answer meta = http.get("/v2/models/chain");
        assertThat(meta.json().get("platform").asText()).isEqualTo("ensemble");
    }

    @Test
    @Order(2)
    void independentStepsFormADiamondThatEqualsPlainJava() throws Exception {
        float[] a = {1, 2, 3};
        float[] b = {0.5f, -1, 4};
        String body = "{\"inputs\": [" + input("a", "[1, 3]", Arrays.toString(a)) + ", "
                + input("b", "[1, 3]", Arrays.toString(b)) + "]}";
        Http.Answer r = http.post("/v2/models/diamond/infer", body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        for (JsonNode out : r.json().get("outputs")) {
            for (int i = 0; i < 3; i++) {
                float s1 = a[i] + b[i];
                float p2 = b[i] * a[i];
                float want = out.get("name").asText().equals("out_sum") ? s1 + p2 : s1 * p2;
                assertThat(out.get("data").get(i).floatValue()).isEqualTo(want);
            }
        }
    }

    @Test
    @Order(3)
    void eachGraphErrorFailsItsEnsembleAndTheOthersServe() throws Exception {
        assertFailed("bad_unknown", "ensemble_scheduling.step[0] (model 'nosuch')", "not found");
        assertFailed(
                "bad_type", "tensor 'raw'", "ensemble input 'raw' is FP32", "(model 'ints') input 'x' expects INT64");
        assertFailed(
                "bad_shape", "tensor 'p'", "(model 'roll') output 'probs' is FP32 [-1, 3]", "expects FP32 [-1, 6]");
        assertFailed(
                "bad_twice",
                "tensor 'y' is produced twice",
                "step[0] (model 'double') output 'y'",
                "step[1] (model 'double') output 'y'");
        assertFailed("bad_never", "tensor 'nowhere'", "is produced by no step");
        assertFailed("bad_cycle", "cycle", "reads tensor 't2' from ensemble_scheduling.step[1]");

        Http.Answer refused = http.post("/v2/models/bad_cycle/infer", v2("raw", "[1, 6]", Arrays.toString(X)));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(http.post("/v2/models/chain/infer", v2("raw", "[1, 6]", Arrays.toString(X)))
                        .status())
                .isEqualTo(200);
        assertThat(http.post("/v2/models/double/infer", v2("x", "[1, 6]", Arrays.toString(X)))
                        .status())
                .isEqualTo(200);
    }

    @Test
    @Order(4)
    void theClassificationExtensionAnswersInTritonsForm() throws Exception {
        String body = "{\"inputs\": [" + input("raw", "[1, 6]", Arrays.toString(X)) + "],"
                + " \"outputs\": [{\"name\": \"probs\", \"parameters\": {\"classification\": 2}}]}";
        Http.Answer r = http.post("/v2/models/chain/infer", body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode out = r.json().get("outputs").get(0);
        assertThat(out.get("datatype").asText()).isEqualTo("BYTES");
        assertThat(out.get("shape").toString()).isEqualTo("[1,2]");

        JsonNode probs = http.post("/v2/models/chain/infer", v2("raw", "[1, 6]", Arrays.toString(X)))
                .json()
                .get("outputs")
                .get(0)
                .get("data");
        String[] labels = {"cat", "dog", "bird"};
        List<Integer> order = new ArrayList<>(List.of(0, 1, 2));
        order.sort(
                (i, j) -> Float.compare(probs.get(j).floatValue(), probs.get(i).floatValue()));
        for (int k = 0; k < 2; k++) {
            int c = order.get(k);
            assertThat(out.get("data").get(k).asText())
                    .isEqualTo(String.format(Locale.ROOT, "%f", probs.get(c).floatValue()) + ":" + c + ":" + labels[c]);
        }
        Http.Answer bad = http.post("/v2/models/chain/infer", body.replace("2}}", "0}}"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).contains("classification").contains("whole number");
    }

    @Test
    @Order(5)
    void theEnsembleAndItsStepsHaveTheirOwnMetricsAndAUserStepComposes() throws Exception {
        Http.Answer spi = http.post("/v2/models/spi_chain/infer", v2("raw", "[1, 6]", Arrays.toString(X)));
        assertThat(spi.status()).as(spi.text()).isEqualTo(200);
        JsonNode chain = http.post("/v2/models/chain/infer", v2("raw", "[1, 6]", Arrays.toString(X)))
                .json()
                .get("outputs")
                .get(0)
                .get("data");
        assertThat(spi.json().get("outputs").get(0).get("data")).isEqualTo(chain);

        String metrics = http.get("/metrics").text();
        assertThat(metrics).containsPattern("nv_inference_request_success\\{[^}]*model=\"chain\"[^}]*\\} [1-9]");
        assertThat(metrics).containsPattern("nv_inference_request_success\\{[^}]*model=\"double\"[^}]*\\} [1-9]");
        assertThat(metrics).containsPattern("nv_inference_request_success\\{[^}]*model=\"scale\"[^}]*\\} [1-9]");
    }

    @Test
    @Order(6)
    void aComposingModelRolledForwardIsUsedWithoutARestart() throws Exception {
        dropRoll(dir.resolve("models"), 2);
        long until = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < until) {
            String status = http.get("/v1/models/roll").text();
            if (status.contains("{\"version\":\"2\",\"state\":\"AVAILABLE\"")
                    && !status.contains("{\"version\":\"1\",\"state\":\"AVAILABLE\"")) {
                break;
            }
            Thread.sleep(100);
        }
        Http.Answer r = http.post("/v2/models/chain/infer", v2("raw", "[1, 6]", Arrays.toString(X)));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        double[] expected = TestRepository.forward(roll[2], times2(X));
        JsonNode data = r.json().get("outputs").get(0).get("data");
        for (int k = 0; k < expected.length; k++) {
            assertThat(data.get(k).asDouble()).isCloseTo(expected[k], org.assertj.core.api.Assertions.within(1e-5));
        }
        assertThat(TestRepository.forward(roll[1], times2(X))[0])
                .isNotCloseTo(expected[0], org.assertj.core.api.Assertions.within(1e-4));
    }

    @Test
    @Order(7)
    void aFixedEnsembleConfigIsCheckedAgainWithoutARestart() throws Exception {
        ensemble(
                dir.resolve("models"),
                "bad_never",
                "raw",
                "TYPE_FP32",
                "[-1, 6]",
                "y",
                "TYPE_FP32",
                "[-1, 6]",
                """
                    - {model_name: double, input_map: {x: raw}, output_map: {y: y}}
                """,
                "");
        long until = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < until
                && !http.get("/v1/models/bad_never").text().contains("\"state\":\"AVAILABLE\"")) {
            Thread.sleep(100);
        }
        Http.Answer r = http.post("/v2/models/bad_never/infer", v2("raw", "[1, 6]", Arrays.toString(X)));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("outputs").get(0).get("data").get(0).floatValue())
                .isEqualTo(X[0] + X[0]);
    }

    @Test
    @Order(8)
    void anEnsembleIsCheckedAgainWhenAComposingModelsSignatureChanges() throws Exception {
        Path repo = dir.resolve("models");
        String request = v2("raw", "[1, 6]", Arrays.toString(X));
        assertThat(http.post("/v2/models/follows/infer", request).status()).isEqualTo(200);

        // version 2 answers y as [batch, 3]: the ensemble that follows the served version no longer fits
        SplittableRandom r = new SplittableRandom(9);
        dropShifty(
                repo,
                2,
                OnnxNetworks.mlp("shifty", "x", "y", List.of(TestRepository.layer(6, 3, Activation.SOFTMAX, r))));
        String failed = awaitStatus("follows", "\"error_code\":\"UNKNOWN\"");
        assertFailed(
                "follows",
                "tensor 'mid'",
                "ensemble_scheduling.step[0] (model 'shifty') output 'y' is FP32 [-1, 3]",
                "ensemble_scheduling.step[1] (model 'roll') input 'x' expects FP32 [-1, 6]");
        Http.Answer refused = http.post("/v2/models/follows/infer", request);
        assertThat(refused.status()).as(failed).isEqualTo(503);
        // the ensemble pinned to version 1 and every other model keep serving
        Http.Answer pinned = http.post("/v2/models/pinned/infer", request);
        assertThat(pinned.status()).as(pinned.text()).isEqualTo(200);
        assertClose(pinned.json().get("outputs").get(0).get("data"), TestRepository.forward(roll[2], times2(X)));
        assertThat(http.post("/v2/models/chain/infer", request).status()).isEqualTo(200);
        assertThat(http.post("/v2/models/shifty/versions/2/infer", v2("x", "[1, 6]", Arrays.toString(X)))
                        .status())
                .isEqualTo(200);

        // version 3 fits again (y = x·x): the ensemble serves again, with it, without a restart
        dropShifty(
                repo,
                3,
                OnnxModelBuilder.create("shifty")
                        .input("x", DataType.FP32, "batch", 6)
                        .node("Mul", List.of("x", "x"), List.of("y"))
                        .output("y", DataType.FP32, "batch", 6));
        awaitStatus("follows", "\"state\":\"AVAILABLE\"");
        Http.Answer back = http.post("/v2/models/follows/infer", request);
        assertThat(back.status()).as(back.text()).isEqualTo(200);
        float[] squared = new float[X.length];
        for (int i = 0; i < X.length; i++) {
            squared[i] = X[i] * X[i];
        }
        assertClose(back.json().get("outputs").get(0).get("data"), TestRepository.forward(roll[2], squared));
    }

    private static String awaitStatus(String model, String part) throws Exception {
        long until = System.nanoTime() + 60_000_000_000L;
        String status = "";
        while (System.nanoTime() < until) {
            status = http.get("/v1/models/" + model).text();
            if (status.contains(part)) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("model '" + model + "' never showed " + part + "; last status: " + status);
    }

    private static void assertClose(JsonNode data, double[] expected) {
        for (int k = 0; k < expected.length; k++) {
            assertThat(data.get(k).asDouble()).isCloseTo(expected[k], org.assertj.core.api.Assertions.within(1e-5));
        }
    }

    private static void dropShifty(Path repo, int version, OnnxModelBuilder model) throws IOException {
        Path staging = mkdirs(repo.resolve(".staging-shifty-" + version)).resolve("model.onnx");
        model.save(staging);
        Path target = repo.resolve("shifty").resolve(Integer.toString(version));
        Files.createDirectories(target.getParent());
        Files.move(staging.getParent(), target); // a version appears whole, as an atomic rename
    }

    private static void assertFailed(String model, String... parts) throws Exception {
        Http.Answer status = http.get("/v1/models/" + model);
        // TF Serving has no FAILED state: a failed version is END with an error
        assertThat(status.text()).as(model).contains("\"state\":\"END\"").contains("\"error_code\":\"UNKNOWN\"");
        for (String p : parts) {
            assertThat(status.text()).as(model).contains(p);
        }
    }

    private static float[] times2(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] + x[i];
        }
        return y;
    }

    private static String v2(String name, String shape, String data) {
        return "{\"inputs\": [" + input(name, shape, data) + "]}";
    }

    private static String input(String name, String shape, String data) {
        return "{\"name\": \"" + name + "\", \"shape\": " + shape + ", \"datatype\": \"FP32\", \"data\": " + data + "}";
    }

    private static void dropRoll(Path repo, int version) throws IOException {
        SplittableRandom r = new SplittableRandom(500 + version);
        roll[version] = new DenseLayer[] {
            TestRepository.layer(6, 5, Activation.RELU, r), TestRepository.layer(5, 3, Activation.SOFTMAX, r)
        };
        Path staging = mkdirs(repo.resolve(".staging-" + version)).resolve("model.onnx");
        OnnxNetworks.mlp("roll", "x", "probs", List.of(roll[version])).save(staging);
        Path target = repo.resolve("roll").resolve(Integer.toString(version));
        Files.createDirectories(target.getParent());
        Files.move(staging.getParent(), target); // a version appears whole, as an atomic rename
    }

    private static void save(Path repo, String model, int version, OnnxModelBuilder builder) throws IOException {
        builder.save(
                mkdirs(repo.resolve(model).resolve(Integer.toString(version))).resolve("model.onnx"));
    }

    private static void ensemble(
            Path repo,
            String name,
            String in,
            String inType,
            String inDims,
            String out,
            String outType,
            String outDims,
            String steps,
            String outExtra)
            throws IOException {
        Files.writeString(
                mkdirs(repo.resolve(name)).resolve("config.yaml"),
                "platform: ensemble\n"
                        + "input: [{name: " + in + ", data_type: " + inType + ", dims: " + inDims + "}]\n"
                        + "output: [{name: " + out + ", data_type: " + outType + ", dims: " + outDims
                        + (outExtra.isEmpty() ? "" : ", " + outExtra) + "}]\n"
                        + "ensemble_scheduling:\n  step:\n" + steps);
    }

    private static Path mkdirs(Path p) throws IOException {
        return Files.createDirectories(p);
    }
}
