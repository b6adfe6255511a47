package dev.pier.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pier.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a sweep as {@code {"steps": [...], "capacity": {...}}} (field names in snake_case, latencies in ms,
 * server times in µs, absent server figures as null), the file {@code pier deploy --capacity-from} reads.
 * An extra {@code errors_by_kind} object per step names what failed. Stateless.
 */
public final class SweepJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SweepJson() {}

    public static ObjectNode toJson(SweepResult sweep) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode steps = root.putArray("steps");
        String loadField = loadField(sweep.mode());
        for (StepResult s : sweep.steps()) {
            ObjectNode n = steps.addObject();
            if (s.mode() == StepResult.Mode.CONCURRENCY) {
                n.put(loadField, (int) s.load());
            } else {
                n.put(loadField, s.load());
            }
            n.put("requests", s.requests());
            n.put("errors", s.errors());
            n.put("throughput", s.throughput());
            n.put("p50_ms", s.latency().p50Ms());
            n.put("p90_ms", s.latency().p90Ms());
            n.put("p99_ms", s.latency().p99Ms());
            n.put("max_ms", s.latency().maxMs());
            n.put("server_queue_us", s.serverQueueUs());
            n.put("server_compute_us", s.serverComputeUs());
            n.put("mean_batch_size", s.meanBatchSize());
            ObjectNode kinds = n.putObject("errors_by_kind");
            s.errorsByKind().forEach(kinds::put);
        }
        ObjectNode cap = root.putObject("capacity");
        var best = sweep.capacity();
        if (best.isPresent()) {
            cap.put("max_throughput_within_slo", best.get().throughput());
            if (sweep.mode() == StepResult.Mode.CONCURRENCY) {
                cap.put("at_" + loadField, (int) best.get().load());
            } else {
                cap.put("at_" + loadField, best.get().load());
            }
            cap.put("p99_ms", best.get().latency().p99Ms());
        } else {
            cap.putNull("max_throughput_within_slo");
            cap.putNull("at_" + loadField);
            cap.putNull("p99_ms");
        }
        cap.put("slo_p99_ms", sweep.sloP99Ms());
        return root;
    }

    public static void write(SweepResult sweep, Path file) throws IOException {
        AtomicFiles.writeString(file, MAPPER.writeValueAsString(toJson(sweep)) + "\n");
    }

    static String loadField(StepResult.Mode mode) {
        return mode == StepResult.Mode.CONCURRENCY ? "concurrency" : "rate";
    }
}
