package dev.pier.monitor.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.InferRequest;
import dev.pier.api.InferResponse;
import dev.pier.api.Shape;
import dev.pier.api.Tensor;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The window of remembered predictions: bounded, newest kept, classes read from scores or class ids. */
class RecentPredictionsTest {

    private static void answer(RecentPredictions recent, String id, Tensor output) {
        recent.onInference(
                new InferRequest(id, "m", OptionalLong.empty(), List.of(), List.of(), Map.of()),
                new InferResponse(id, "m", 2, List.of(output), Map.of()));
    }

    @Test
    void keepsTheLastNAndReadsClassesFromScoresOrIds() {
        RecentPredictions recent = new RecentPredictions(3);
        answer(recent, "a", Tensor.ofFloats("p", Shape.of(2, 3), 0.1f, 0.7f, 0.2f, 0.5f, 0.2f, 0.3f));
        answer(recent, "b", Tensor.ofLongs("label", Shape.of(2), 4, 9));
        answer(recent, "c", Tensor.ofDoubles("p", Shape.of(3), 0.1, 0.2, 0.7));
        answer(recent, "not-a-classifier", Tensor.ofFloats("y", Shape.of(2, 1), 1f, 2f));
        assertThat(recent.find("a").orElseThrow().classes()).containsExactly(1, 0);
        assertThat(recent.find("b").orElseThrow().classes()).containsExactly(4, 9);
        assertThat(recent.find("c").orElseThrow().classes()).containsExactly(2);
        assertThat(recent.find("c").orElseThrow().version()).isEqualTo(2);
        assertThat(recent.find("not-a-classifier")).isEmpty();

        answer(recent, "a", Tensor.ofInts("label", Shape.of(1), 5)); // a client reusing an id: the newer answer
        answer(recent, "d", Tensor.ofInts("label", Shape.of(1), 6)); // evicts the first "a" and then "b"
        assertThat(recent.find("b")).isEmpty();
        assertThat(recent.find("a").orElseThrow().classes()).containsExactly(5);
        assertThat(recent.find("d")).isPresent();
        answer(recent, "e", Tensor.ofInts("label", Shape.of(1), 7));
        assertThat(recent.find("c")).isEmpty();
        assertThat(recent.find("a")).isPresent();
    }

    @Test
    void agreesWithASimpleModelOverRandomIdsReusedIdsAndLongIds() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(13);
        for (int capacity : new int[] {1, 2, 7, 64, 1000}) {
            RecentPredictions recent = new RecentPredictions(capacity);
            // the model: the last `capacity` answers in order; the newest answer per id is the remembered one
            java.util.ArrayDeque<String[]> ring = new java.util.ArrayDeque<>();
            java.util.List<String> seen = new java.util.ArrayList<>();
            for (int step = 0; step < 20 * capacity + 200; step++) {
                String id;
                int kind = random.nextInt(10);
                if (kind < 2 && !seen.isEmpty()) {
                    id = seen.get(random.nextInt(seen.size())); // a reused id
                } else if (kind == 2) {
                    id = "long-" + "x".repeat(RecentPredictions.ID_WIDTH) + random.nextInt(1000);
                } else if (kind == 3) {
                    id = "\u00e9t\u00e9-\u2603-" + random.nextInt(1000); // outside ISO-8859-1: kept as a string
                } else {
                    id = "id-" + random.nextInt(5 * capacity + 10);
                }
                seen.add(id);
                int label = random.nextInt(10);
                String model = random.nextBoolean() ? "m" : "other";
                recent.put(id, model, 3, new int[] {label});
                ring.addLast(new String[] {id, model, Integer.toString(label)});
                if (ring.size() > capacity) {
                    ring.removeFirst();
                }
                if (step % 7 == 0 || step > 20 * capacity + 150) {
                    java.util.Map<String, String[]> newest = new java.util.HashMap<>();
                    ring.forEach(entry -> newest.put(entry[0], entry));
                    for (String probe : new java.util.HashSet<>(seen)) {
                        String[] expected = newest.get(probe);
                        java.util.Optional<RecentPredictions.Prediction> found = recent.find(probe);
                        if (expected == null) {
                            assertThat(found)
                                    .as("capacity %d step %d id %s", capacity, step, probe)
                                    .isEmpty();
                        } else {
                            assertThat(found)
                                    .as("capacity %d step %d id %s", capacity, step, probe)
                                    .isPresent();
                            assertThat(found.get().id()).isEqualTo(probe);
                            assertThat(found.get().model()).isEqualTo(expected[1]);
                            assertThat(found.get().version()).isEqualTo(3);
                            assertThat(found.get().classes()).containsExactly(Integer.parseInt(expected[2]));
                        }
                    }
                }
            }
        }
    }

    @Test
    void anAnswerIsLabelledOnceAndNotAfterItIsForgotten() {
        RecentPredictions recent = new RecentPredictions(2);
        recent.put("a", "m", 1, new int[] {4, 5});
        RecentPredictions.Prediction a = recent.find("a").orElseThrow();
        assertThat(a.classes()).containsExactly(4, 5);
        assertThat(recent.isLabelled(a)).isFalse();
        assertThat(recent.markLabelled(a)).isTrue();
        assertThat(recent.isLabelled(recent.find("a").orElseThrow())).isTrue();
        assertThat(recent.markLabelled(a)).isFalse();

        recent.put("b", "m", 1, new int[] {1});
        RecentPredictions.Prediction b = recent.find("b").orElseThrow();
        recent.put("c", "m", 1, new int[] {2});
        recent.put("d", "m", 1, new int[] {3}); // b's slot now holds d
        assertThat(recent.find("b")).isEmpty();
        assertThat(recent.markLabelled(b)).isFalse();
        assertThat(recent.markLabelled(recent.find("d").orElseThrow())).isTrue();
    }

    @Test
    void answersFromSeveralThreadsAreAllFoundUpToTheCapacity() throws Exception {
        RecentPredictions recent = new RecentPredictions(10_000);
        int threads = 4;
        int each = 2_000;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        recent.put("t" + thread + "-" + i, "m", 1, new int[] {(thread * each + i) % 10});
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < each; i++) {
                assertThat(recent.find("t" + t + "-" + i).orElseThrow().classes())
                        .containsExactly((t * each + i) % 10);
            }
        }
    }

    @Test
    void aWindowOutsideItsBoundsIsRefusedWithTheLimit() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RecentPredictions(0))
                .hasMessageContaining("at least 1");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new RecentPredictions(RecentPredictions.MAX_CAPACITY + 1))
                .hasMessageContaining("at most " + RecentPredictions.MAX_CAPACITY);
    }
}
