package dev.pier.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pier.api.Tensor;
import dev.pier.bench.InProcessBenchmark;
import dev.pier.bench.RandomInputs;
import dev.pier.runtime.ModelSession;
import dev.pier.runtime.SessionOptions;
import dev.pier.runtime.onnx.OrtEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code pier bench --in-process MODEL}: raw in-process ONNX Runtime, the baseline for every server figure. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure a model: raw in-process ONNX Runtime throughput and latency (--in-process).")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--in-process", paramLabel = "MODEL", required = true, description = "ONNX model to run in this process.")
    Path model;

    @Option(names = "--batch-size", defaultValue = "1", description = "Rows per inference (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--threads", defaultValue = "1", description = "Concurrent callers (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--intra-op-threads", defaultValue = "1", description = "ONNX Runtime intra-op threads (default ${DEFAULT-VALUE}).")
    int intraOpThreads;

    @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class, description = "Measured time (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "2s", converter = DurationConverter.class, description = "Warm-up time (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("model file " + model + " does not exist");
        }
        if (batchSize < 1 || threads < 1) {
            throw new IllegalArgumentException("--batch-size and --threads must be >= 1");
        }
        SessionOptions options = new SessionOptions(intraOpThreads, 1, SessionOptions.Optimization.ALL);
        try (OrtEngine engine = new OrtEngine(); ModelSession session = engine.load(model, options)) {
            Map<String, Tensor> inputs = RandomInputs.forSignature(session.signature().inputs(), batchSize, 42);
            InProcessBenchmark.Result r = InProcessBenchmark.run(session, inputs, batchSize, threads, warmup, duration);
            System.out.printf("in-process ONNX Runtime  model=%s batch=%d threads=%d%n", model.getFileName(), batchSize, threads);
            System.out.printf("  %.0f inferences/s (%.0f rows/s), p50 %.3f ms, p99 %.3f ms, mean %.4f ms over %d calls%n",
                    r.requestsPerSecond(), r.rowsPerSecond(), r.latency().p50Ms(), r.latency().p99Ms(),
                    r.latency().meanMs(), r.requests());
            if (json != null) {
                Path tmp = Files.createTempFile(json.toAbsolutePath().getParent(), ".bench", ".json");
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), r);
                Files.move(tmp, json, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return 0;
    }
}
