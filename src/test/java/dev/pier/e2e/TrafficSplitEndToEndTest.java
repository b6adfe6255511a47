package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.onnx.Activation;
import dev.pier.onnx.DenseLayer;
import dev.pier.onnx.OnnxNetworks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 item 6 against a real process: {@code traffic: {1: 80, 2: 20}} sends about 20 % of unversioned
 * requests to version 2 (within 5 binomial standard deviations), each answer names its version (field and
 * {@code Pier-Model-Version} header) and carries that version's numbers; a shadow version gets copies whose
 * comparison is logged while every answer comes from the primary.
 */
class TrafficSplitEndToEndTest {
    static final int N = 400;

    @TempDir
    Path dir;

    final Map<String, DenseLayer[]> layers = new HashMap<>();

    @Test
    void weightedSplitAndShadow() throws Exception {
        Path repo = dir.resolve("models");
        for (String model : List.of("split", "shadowed")) {
            for (int v = 1; v <= 2; v++) {
                SplittableRandom r = new SplittableRandom(model.hashCode() * 31L + v);
                DenseLayer[] l = {
                    TestRepository.layer(6, 5, Activation.RELU, r), TestRepository.layer(5, 3, Activation.SOFTMAX, r)
                };
                Path file = repo.resolve(model).resolve(Integer.toString(v)).resolve("model.onnx");
                Files.createDirectories(file.getParent());
                OnnxNetworks.mlp(model, "x", "probs", List.of(l)).save(file);
                layers.put(model + v, l);
            }
        }
        Files.writeString(
                repo.resolve("split").resolve("config.yaml"),
                "version_policy: {all: {}}\ntraffic: {1: 80, 2: 20}\nversion_labels: {stable: 1, canary: 2}\n");
        Files.writeString(
                repo.resolve("shadowed").resolve("config.yaml"),
                "version_policy: {all: {}}\ntraffic: {1: 1}\nshadow_version: 2\n");
        float[] x = {0.3f, 0.1f, 0.9f, 0.4f, 0.6f, 0.2f};
        String body = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,6],\"datatype\":\"FP32\",\"data\":"
                + java.util.Arrays.toString(x) + "}]}";

        try (PierProcess pier = PierProcess.serve("--model-repository", repo.toString())) {
            Http http = new Http(pier.httpPort());
            int v2 = 0;
            for (int i = 0; i < N; i++) {
                long v = check(http.post("/v2/models/split/infer", body), "split", x);
                v2 += v == 2 ? 1 : 0;
            }
            double mean = N * 0.2;
            double sigma = Math.sqrt(N * 0.2 * 0.8);
            assertThat((double) v2).as("requests served by version 2 of %d", N).isCloseTo(mean, within(5 * sigma));
            assertThat(check(http.post("/v2/models/split/versions/2/infer", body), "split", x))
                    .as("explicit version wins")
                    .isEqualTo(2);

            // TF Serving version labels
            String instances = "{\"instances\":[" + java.util.Arrays.toString(x) + "]}";
            for (String label : List.of("stable", "canary")) {
                long expectedVersion = label.equals("stable") ? 1 : 2;
                Http.Answer p = http.post("/v1/models/split/labels/" + label + ":predict", instances);
                assertThat(p.status()).as(p.text()).isEqualTo(200);
                assertThat(p.raw().headers().firstValue("Pier-Model-Version")).hasValue(Long.toString(expectedVersion));
                double[] expected = TestRepository.forward(layers.get("split" + expectedVersion), x);
                for (int k = 0; k < expected.length; k++) {
                    assertThat(p.json().get("predictions").get(0).get(k).asDouble())
                            .isCloseTo(expected[k], within(1e-5));
                }
            }
            assertThat(http.get("/v1/models/split/labels/canary").text()).contains("\"version\":\"2\"");
            Http.Answer unknown = http.get("/v1/models/split/labels/nope");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.text()).contains("no version label 'nope'");

            for (int i = 0; i < 20; i++) {
                assertThat(check(http.post("/v2/models/shadowed/infer", body), "shadowed", x))
                        .as("shadow answers are never returned")
                        .isEqualTo(1);
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!pier.output()
                            .contains(
                                    "shadow: model 'shadowed' served by version 1, shadow version 2: max |difference|")
                    && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertThat(pier.output())
                    .contains("shadow: model 'shadowed' served by version 1, shadow version 2: max |difference|");
            System.out.printf(
                    "traffic split: %d of %d to version 2 (expected %.0f ± %.0f at 5 sigma)%n", v2, N, mean, 5 * sigma);
        }
    }

    /** Checks the answer's numbers against the version it names and returns that version. */
    private long check(Http.Answer a, String model, float[] x) {
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        JsonNode json = a.json();
        long v = Long.parseLong(json.get("model_version").asText());
        assertThat(a.raw().headers().firstValue("Pier-Model-Version")).hasValue(Long.toString(v));
        double[] expected = TestRepository.forward(layers.get(model + v), x);
        for (int k = 0; k < expected.length; k++) {
            assertThat(json.get("outputs").get(0).get("data").get(k).asDouble()).isCloseTo(expected[k], within(1e-5));
        }
        return v;
    }
}
