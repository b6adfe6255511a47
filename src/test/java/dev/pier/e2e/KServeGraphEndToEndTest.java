package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pier.api.DataType;
import dev.pier.onnx.Activation;
import dev.pier.onnx.DenseLayer;
import dev.pier.onnx.OnnxModelBuilder;
import dev.pier.onnx.OnnxNetworks;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 item 5 end to end: the KServe {@code InferenceGraph} that {@code pier deploy kserve --graph} writes for a
 * two-model chain runs on two real {@code pier serve} processes (one per InferenceService, as KServe would run them),
 * with this test playing KServe's router: the {@code Sequence}'s first step gets the client's body ({@code $request}),
 * the second step step 1's exact answer ({@code $response}, {@code {"predictions": ...}}) — and, as KServe's
 * {@code mapPredictionsToInstances: true} rewrites it, {@code {"instances": ...}}. The final answer equals the
 * two models run by hand (V2 REST) and in plain Java; a body with none of the row or column fields is still a 400.
 */
class KServeGraphEndToEndTest {
    static final float[] X = {0.1f, -0.4f, 0.3f, 0.5f, 0.2f, -0.7f};
    static final float[] X2 = {1f, 0.25f, -0.5f, 0f, 0.75f, -1f};
    static Path dir;
    static DenseLayer[] roll;
    static PierProcess first;
    static PierProcess second;
    /** InferenceService name -> the process that plays it. */
    static Map<String, Http> services;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("pier-kserve-graph");
        Path doubleRepo = dir.resolve("double-service");
        Path rollRepo = dir.resolve("roll-service");
        OnnxModelBuilder.create("double")
                .input("x", DataType.FP32, "batch", 6)
                .node("Add", List.of("x", "x"), List.of("y"))
                .output("y", DataType.FP32, "batch", 6)
                .save(Files.createDirectories(doubleRepo.resolve("double/1")).resolve("model.onnx"));
        SplittableRandom r = new SplittableRandom(77);
        roll = new DenseLayer[] {
            TestRepository.layer(6, 5, Activation.RELU, r), TestRepository.layer(5, 3, Activation.SOFTMAX, r)
        };
        OnnxNetworks.mlp("roll", "x", "probs", List.of(roll))
                .save(Files.createDirectories(rollRepo.resolve("roll/1")).resolve("model.onnx"));
        // the ensemble as a user writes it for one process; deploy spreads it over services
        Files.writeString(Files.createDirectories(dir.resolve("graph/chain")).resolve("config.yaml"), """
                platform: ensemble
                input: [{name: raw, data_type: TYPE_FP32, dims: [-1, 6]}]
                output: [{name: probs, data_type: TYPE_FP32, dims: [-1, 3]}]
                ensemble_scheduling:
                  step:
                    - {model_name: roll, input_map: {x: doubled}, output_map: {probs: probs}}
                    - {model_name: double, input_map: {x: raw}, output_map: {y: doubled}}
                """);
        first = PierProcess.serve("--model-repository", doubleRepo.toString());
        second = PierProcess.serve("--model-repository", rollRepo.toString());
        services = Map.of("pier-double", new Http(first.httpPort()), "pier-roll", new Http(second.httpPort()));
    }

    @AfterAll
    static void stop() {
        Stream.of(first, second).filter(p -> p != null).forEach(PierProcess::close);
    }

    @Test
    void theWrittenInferenceGraphRunsEndToEndWithStepOnesAnswerAsStepTwosRequest() throws Exception {
        PierProcess.Result deploy = PierProcess.run(
                dir,
                "deploy",
                "kserve",
                "--image",
                "registry.example.com/pier:1",
                "--graph",
                dir.resolve("graph/chain").toString(),
                "--out",
                dir.resolve("k8s").toString());
        assertThat(deploy.exitCode()).as(deploy.output()).isZero();
        JsonNode steps = inferenceGraph(dir.resolve("k8s"))
                .path("spec")
                .path("nodes")
                .path("root")
                .path("steps");
        assertThat(steps).hasSize(2);
        assertThat(steps.get(0).path("serviceName").asText()).isEqualTo("pier-double");
        assertThat(steps.get(1).path("data").asText()).isEqualTo("$response");

        String request = "{\"instances\": [" + Arrays.toString(X) + ", " + Arrays.toString(X2) + "]}";
        JsonNode exact = route(steps, request, false);
        JsonNode mapped = route(steps, request, true);

        // by hand: the two models one after the other over V2 (the same batch of two), and plain Java
        float[] both = new float[12];
        System.arraycopy(X, 0, both, 0, 6);
        System.arraycopy(X2, 0, both, 6, 6);
        JsonNode doubled = services.get("pier-double")
                .post("/v2/models/double/infer", v2(Arrays.toString(both)))
                .json()
                .get("outputs")
                .get(0)
                .get("data");
        JsonNode byHand = services.get("pier-roll")
                .post("/v2/models/roll/infer", v2(doubled.toString()))
                .json()
                .get("outputs")
                .get(0)
                .get("data");
        for (int row = 0; row < 2; row++) {
            double[] expected = TestRepository.forward(roll, times2(row == 0 ? X : X2));
            for (int k = 0; k < 3; k++) {
                float want = byHand.get(row * 3 + k).floatValue();
                assertThat(exact.get("predictions").get(row).get(k).floatValue())
                        .isEqualTo(want);
                assertThat(mapped.get("predictions").get(row).get(k).floatValue())
                        .isEqualTo(want);
                assertThat((double) want).isCloseTo(expected[k], within(1e-5));
            }
        }
    }

    @Test
    void aBodyWithNeitherInstancesInputsNorPredictionsIsStillAClear400() throws Exception {
        Http.Answer bad =
                services.get("pier-roll").post("/v1/models/roll:predict", "{\"outputs\": [[1, 2, 3, 4, 5, 6]]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).contains("'instances'").contains("'inputs'");
        Http.Answer both = services.get("pier-roll")
                .post(
                        "/v1/models/roll:predict",
                        "{\"instances\": [[1, 2, 3, 4, 5, 6]], \"predictions\": [[1, 2, 3, 4, 5, 6]]}");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.json().get("error").asText()).contains("both 'instances' and 'predictions'");
    }

    /**
     * KServe's router for a {@code Sequence}: each step POSTs to its serviceUrl; {@code $response} sends the previous
     * step's body unchanged, or with {@code mapPredictionsToInstances} its {@code predictions} renamed {@code instances}.
     */
    private static JsonNode route(JsonNode steps, String request, boolean mapPredictionsToInstances) throws Exception {
        byte[] body = request.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            if (i > 0 && step.path("data").asText().equals("$response") && mapPredictionsToInstances) {
                ObjectNode previous = (ObjectNode) Http.JSON.readTree(body);
                ObjectNode renamed = Http.JSON.createObjectNode();
                renamed.set("instances", previous.get("predictions"));
                body = Http.JSON.writeValueAsBytes(renamed);
            } else if (i > 0 && !step.path("data").asText().equals("$response")) {
                body = request.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            URI url = URI.create(step.path("serviceUrl").asText());
            Http service = services.get(step.path("serviceName").asText());
            assertThat(url.getHost()).startsWith(step.path("serviceName").asText() + "-predictor");
            Http.Answer answer = service.post(url.getPath(), body, "application/json");
            assertThat(answer.status())
                    .as("step " + i + " " + url + ": " + answer.text())
                    .isEqualTo(200);
            body = answer.body();
        }
        return Http.JSON.readTree(body);
    }

    private static JsonNode inferenceGraph(Path out) throws Exception {
        List<JsonNode> graphs = new ArrayList<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.toList()) {
                JsonNode doc = new YAMLMapper().readTree(f.toFile());
                if (doc.path("kind").asText().equals("InferenceGraph")) {
                    graphs.add(doc);
                }
            }
        }
        assertThat(graphs).hasSize(1);
        return graphs.getFirst();
    }

    private static String v2(String data) {
        return "{\"inputs\": [{\"name\": \"x\", \"shape\": [2, 6], \"datatype\": \"FP32\", \"data\": " + data + "}]}";
    }

    private static float[] times2(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] + x[i];
        }
        return y;
    }
}
