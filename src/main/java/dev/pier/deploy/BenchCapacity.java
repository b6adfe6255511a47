package dev.pier.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * A per-replica capacity read from a {@code pier bench --json} result, for {@link CapacitySizing}: a server sweep
 * ({@code capacity.max_throughput_within_slo} and the p99 of that step) or an in-process run
 * ({@code requestsPerSecond} and {@code latency.p99Ms}). A run whose p99 exceeds the stated target is refused: its
 * throughput is not a capacity at that target. Immutable; {@link #read} is stateless.
 *
 * @param rps    measured requests/s
 * @param p99Ms  measured p99 latency in milliseconds
 * @param source where the figures came from, for the sizing annotation
 */
public record BenchCapacity(double rps, double p99Ms, String source) {

    public static BenchCapacity read(Path benchJson, Optional<Double> p99TargetMs) throws IOException {
        if (!Files.isRegularFile(benchJson)) {
            throw new NoSuchFileException(
                    benchJson.toString(), null, "--capacity-from must be a 'pier bench --json' file");
        }
        JsonNode root = new ObjectMapper().readTree(benchJson.toFile());
        JsonNode rpsNode = root.path("requestsPerSecond");
        JsonNode p99Node = root.path("latency").path("p99Ms");
        if (root.has("capacity") && root.has("steps")) {
            JsonNode cap = root.path("capacity");
            if (!cap.path("max_throughput_within_slo").isNumber()) {
                throw new IllegalArgumentException(benchJson + ": no step of the sweep met its p99 SLO of "
                        + cap.path("slo_p99_ms") + " ms without errors, so it states no capacity; rerun the bench "
                        + "with lower --concurrency or --rate levels");
            }
            rpsNode = cap.path("max_throughput_within_slo");
            p99Node = cap.path("p99_ms");
        }
        JsonNode rps = rpsNode;
        JsonNode p99 = p99Node;
        if (!rps.isNumber() || !p99.isNumber() || !(rps.asDouble() > 0)) {
            throw new IllegalArgumentException(benchJson + " is not a 'pier bench --json' result: expected a positive "
                    + "number 'requestsPerSecond' and 'latency.p99Ms', got " + abbreviate(root.toString()));
        }
        p99TargetMs.ifPresent(target -> {
            if (p99.asDouble() > target) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "the bench run in %s has p99 %.3f ms, "
                                + "above the --p99-target-ms %.3f: rerun the bench with fewer threads so its throughput is a "
                                + "capacity at that target",
                        benchJson,
                        p99.asDouble(),
                        target));
            }
        });
        return new BenchCapacity(
                rps.asDouble(),
                p99.asDouble(),
                String.format(
                        Locale.ROOT,
                        "%s (%.1f req/s at p99 %.3f ms)",
                        benchJson.getFileName(),
                        rps.asDouble(),
                        p99.asDouble()));
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
