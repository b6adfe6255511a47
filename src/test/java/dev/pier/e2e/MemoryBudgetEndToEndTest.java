package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.onnx.Activation;
import dev.pier.onnx.DenseLayer;
import dev.pier.onnx.OnnxNetworks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 item 4: {@code pier serve --lazy-load --memory-budget-mb 1} over three models of ~0.4 MB each (two
 * fit) and one of ~1.4 MB. Requests to all three in turn succeed with the numbers computed here in plain Java,
 * never more than two are loaded, the least recently used one is the one unloaded, and the big one gets 507
 * naming the budget while the server keeps serving.
 */
class MemoryBudgetEndToEndTest {
    static final int IN = 6;

    @TempDir
    Path dir;

    final Map<String, DenseLayer[]> models = new HashMap<>();

    @Test
    void servesThreeModelsWithRoomForTwo() throws Exception {
        Path repo = dir.resolve("models");
        save(repo, "a", 11_000, 1); // 9 * 11000 floats ≈ 0.38 MB
        save(repo, "b", 11_000, 2);
        save(repo, "c", 11_000, 3);
        save(repo, "big", 40_000, 4); // ≈ 1.4 MB: larger than the budget
        try (PierProcess pier =
                PierProcess.serve("--model-repository", repo.toString(), "--lazy-load", "--memory-budget-mb", "1")) {
            Http http = new Http(pier.httpPort());
            assertThat(http.get("/v2/health/ready").status())
                    .as("ready: every model loadable on demand")
                    .isEqualTo(200);
            assertThat(loaded(http))
                    .as("nothing loaded before the first request")
                    .isEmpty();

            // eight concurrent first requests for 'a' share one load
            List<Thread> first = new java.util.ArrayList<>();
            java.util.concurrent.ConcurrentLinkedQueue<Throwable> failures =
                    new java.util.concurrent.ConcurrentLinkedQueue<>();
            for (int i = 0; i < 8; i++) {
                first.add(Thread.ofPlatform().start(() -> {
                    try {
                        infer(new Http(pier.httpPort()), "a");
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread t : first) {
                t.join();
            }
            assertThat(failures).isEmpty();
            assertThat(pier.output().split("model 'a' version 1: START -> LOADING", -1))
                    .as("loads of 'a'")
                    .hasSize(2);
            infer(http, "b");
            assertThat(loaded(http)).containsExactly("a", "b");
            infer(http, "a"); // b is now the least recently used
            infer(http, "c");
            assertThat(loaded(http)).as("b, least recently used, was unloaded").containsExactly("a", "c");
            infer(http, "b");
            assertThat(loaded(http)).as("a, least recently used, was unloaded").containsExactly("b", "c");
            for (String m : List.of("a", "b", "c", "a", "c", "b")) {
                infer(http, m);
                assertThat(loaded(http)).hasSizeLessThanOrEqualTo(2).contains(m);
            }

            Http.Answer refused = http.post("/v2/models/big/infer", body());
            assertThat(refused.status()).as(refused.text()).isEqualTo(507);
            assertThat(refused.text()).contains("big", "1.0 MB", "--memory-budget-mb");
            infer(http, "a");
            assertThat(loaded(http)).hasSizeLessThanOrEqualTo(2).contains("a");
        }
    }

    private void infer(Http http, String model) throws IOException, InterruptedException {
        Http.Answer a = http.post("/v2/models/" + model + "/infer", body());
        assertThat(a.status()).as(model + ": " + a.text()).isEqualTo(200);
        double[] expected = TestRepository.forward(models.get(model), x());
        JsonNode data = a.json().get("outputs").get(0).get("data");
        for (int k = 0; k < expected.length; k++) {
            assertThat(data.get(k).asDouble()).as(model).isCloseTo(expected[k], within(1e-4));
        }
    }

    /** Models whose TF Serving status says a version is AVAILABLE. */
    private TreeSet<String> loaded(Http http) throws IOException, InterruptedException {
        TreeSet<String> out = new TreeSet<>();
        for (String m : List.of("a", "b", "c", "big")) {
            String status = http.get("/v1/models/" + m).text();
            if (status.contains("AVAILABLE")) {
                out.add(m);
            }
        }
        return out;
    }

    private static float[] x() {
        return new float[] {0.1f, 0.9f, 0.3f, 0.5f, 0.2f, 0.7f};
    }

    private static String body() {
        return "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,6],\"datatype\":\"FP32\",\"data\":"
                + java.util.Arrays.toString(x()) + "}]}";
    }

    private void save(Path repo, String name, int hidden, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        DenseLayer[] layers = {
            TestRepository.layer(IN, hidden, Activation.RELU, r), TestRepository.layer(hidden, 3, Activation.SOFTMAX, r)
        };
        Path file = repo.resolve(name).resolve("1").resolve("model.onnx");
        Files.createDirectories(file.getParent());
        OnnxNetworks.mlp(name, "x", "probs", List.of(layers)).save(file);
        models.put(name, layers);
    }
}
