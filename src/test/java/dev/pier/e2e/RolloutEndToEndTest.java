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
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 item 5 under load: {@code --model-control poll} while ten new versions are dropped into the
 * repository; every request succeeds and its numbers match the version the answer names (computed here in
 * plain Java); the server ends on the newest. Then a corrupt version leaves the old one serving with the
 * load error visible in the status, and fixing its file in place makes the server retry and roll it in.
 */
class RolloutEndToEndTest {
    static final int DROPS = 10;

    @TempDir
    Path dir;

    final Map<Long, DenseLayer[]> versions = new ConcurrentHashMap<>();

    @Test
    void continuousLoadDuringTenRolloutsLosesNothing() throws Exception {
        Path repo = dir.resolve("models");
        Files.createDirectories(repo.resolve("roll"));
        drop(repo, 1);
        PierProcess pier = PierProcess.serve(
                "--model-repository", repo.toString(), "--model-control", "poll", "--poll-interval", "150ms");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger ok = new AtomicInteger();
        AtomicLong lastVersion = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        float[] x = {0.1f, 0.9f, 0.3f, 0.5f, 0.2f, 0.7f};
        String body = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,6],\"datatype\":\"FP32\",\"data\":"
                + java.util.Arrays.toString(x) + "}]}";
        List<Thread> clients = new ArrayList<>();
        try {
            for (int c = 0; c < 3; c++) {
                clients.add(Thread.ofPlatform().start(() -> {
                    Http http = new Http(pier.httpPort());
                    while (!stop.get()) {
                        try {
                            Http.Answer a = http.post("/v2/models/roll/infer", body);
                            if (a.status() != 200) {
                                failures.add("HTTP " + a.status() + ": " + a.text());
                                continue;
                            }
                            JsonNode json = a.json();
                            long v = Long.parseLong(json.get("model_version").asText());
                            assertThat(a.raw().headers().firstValue("Pier-Model-Version"))
                                    .hasValue(Long.toString(v));
                            double[] expected = TestRepository.forward(versions.get(v), x);
                            JsonNode data = json.get("outputs").get(0).get("data");
                            for (int k = 0; k < expected.length; k++) {
                                assertThat(data.get(k).asDouble()).isCloseTo(expected[k], within(1e-5));
                            }
                            ok.incrementAndGet();
                            lastVersion.set(v);
                        } catch (IOException e) {
                            failures.add("I/O: " + e);
                        } catch (InterruptedException e) {
                            return;
                        } catch (AssertionError | RuntimeException e) {
                            failures.add("wrong answer: " + e.getMessage());
                        }
                    }
                }));
            }
            for (long v = 2; v <= 1 + DROPS; v++) {
                Thread.sleep(500);
                drop(repo, v);
            }
            long newest = 1 + DROPS;
            awaitVersion(lastVersion, newest, failures);
            assertThat(failures).as("failed requests during %d rollouts", DROPS).isEmpty();

            // a corrupt version: the old one keeps serving, the status names the load error
            long broken = newest + 1;
            Path staging = Files.createDirectories(dir.resolve("staging-broken"));
            Files.write(staging.resolve("model.onnx"), "this is not an ONNX model".getBytes());
            Files.move(staging, repo.resolve("roll").resolve(Long.toString(broken)), StandardCopyOption.ATOMIC_MOVE);
            Http http = new Http(pier.httpPort());
            String status = "";
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < until && !status.contains("cannot load model")) {
                Thread.sleep(100);
                status = http.get("/v1/models/roll").text();
            }
            assertThat(status).as("TF Serving status of roll").contains("cannot load model", Long.toString(broken));
            int before = ok.get();
            Thread.sleep(600);
            assertThat(ok.get()).as("still serving after the corrupt version").isGreaterThan(before);
            assertThat(lastVersion.get()).isEqualTo(newest);
            assertThat(failures).isEmpty();

            // fixing the file in place: the FAILED version is retried and rolls in
            Path fixed = dir.resolve("fixed.onnx");
            save(fixed, broken);
            Files.move(
                    fixed,
                    repo.resolve("roll").resolve(Long.toString(broken)).resolve("model.onnx"),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            awaitVersion(lastVersion, broken, failures);
            stop.set(true);
            for (Thread t : clients) {
                t.join(20_000);
            }
            assertThat(failures).isEmpty();
            assertThat(pier.output()).contains("files changed since it FAILED");
            System.out.printf(
                    "rollout: %d requests, 0 failed, %d versions rolled in, ended on %d%n",
                    ok.get(), DROPS + 1, lastVersion.get());
        } finally {
            stop.set(true);
            pier.close();
        }
    }

    private static void awaitVersion(AtomicLong lastVersion, long version, ConcurrentLinkedQueue<String> failures)
            throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (lastVersion.get() != version && System.nanoTime() < until && failures.isEmpty()) {
            Thread.sleep(50);
        }
        assertThat(lastVersion.get()).as("served version; failures " + failures).isEqualTo(version);
    }

    /** Writes version {@code v} beside the repository and renames it in, so the poller never sees half a file. */
    private void drop(Path repo, long v) throws IOException {
        Path staging = dir.resolve("staging-" + v);
        save(staging.resolve("model.onnx"), v);
        Files.move(staging, repo.resolve("roll").resolve(Long.toString(v)), StandardCopyOption.ATOMIC_MOVE);
    }

    private void save(Path file, long v) throws IOException {
        SplittableRandom r = new SplittableRandom(1000 + v);
        DenseLayer[] layers = {
            TestRepository.layer(6, 5, Activation.RELU, r), TestRepository.layer(5, 3, Activation.SOFTMAX, r)
        };
        Files.createDirectories(file.getParent());
        OnnxNetworks.mlp("roll", "x", "probs", List.of(layers)).save(file);
        versions.put(v, layers);
    }
}
