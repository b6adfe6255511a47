package dev.pier.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pier.bench.InProcessBenchmark;
import dev.pier.runtime.ModelSession;
import dev.pier.runtime.SessionOptions;
import dev.pier.runtime.onnx.OrtEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pier bench --in-process MODEL}: raw in-process ONNX Runtime, the baseline for every server figure;
 * {@code pier bench --url URL --model M ...}: a closed-loop (concurrency) or open-loop (rate) sweep against a
 * running server, with the capacity within a p99 SLO.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure a model: raw in-process ONNX Runtime (--in-process MODEL), or a running server "
                    + "(--url URL --model NAME) swept over --concurrency levels (closed loop) or --rate values (open loop, "
                    + "latency from the scheduled send time).",
            "Example: pier bench --url http://localhost:8501 --model mnist --protocol rest --concurrency 1,2,4,8,16,32 "
                    + "--duration 20s --slo-p99 10ms --json bench.json --report bench.html"
        })
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--in-process", paramLabel = "MODEL", description = "ONNX model to run in this process.")
    Path model;

    @Option(
            names = "--url",
            description = "Server to load: http://HOST:PORT or HOST:PORT (the REST port); with --protocol grpc "
                    + "the gRPC port as HOST:PORT, grpc://HOST:PORT or http://HOST:PORT.")
    String url;

    @Option(names = "--model", paramLabel = "NAME", description = "Model name on the server.")
    String modelName;

    @Option(
            names = "--protocol",
            defaultValue = "rest",
            description = "rest (KServe V2), grpc (KServe V2) or tfserving (default ${DEFAULT-VALUE}).")
    String protocol;

    @Option(
            names = "--binary",
            description = "V2 REST: send inputs and receive outputs in the binary tensor extension.")
    boolean binary;

    @Option(
            names = "--concurrency",
            split = ",",
            description = "Closed-loop worker counts, e.g. 1,2,4,8 (default 1,2,4,8,16,32 when no --rate).")
    java.util.List<Integer> concurrency;

    @Option(names = "--rate", split = ",", description = "Open-loop request rates per second, e.g. 500,1000,2000.")
    java.util.List<Double> rate;

    @Option(
            names = "--slo-p99",
            defaultValue = "10ms",
            converter = DurationConverter.class,
            description = "p99 latency target for the capacity (default ${DEFAULT-VALUE}).")
    Duration sloP99;

    @Option(
            names = "--input",
            paramLabel = "FILE.json",
            description =
                    "Request body: a V2 inference request (rest, grpc, --in-process) or a :predict body (tfserving).")
    Path input;

    @Option(
            names = "--dataset",
            description =
                    "Inputs from a dataset, e.g. mnist:test (model with one MNIST-shaped FP32 input); --in-process: the first --batch-size images.")
    String dataset;

    @Option(
            names = "--data-dir",
            description = "Folder of MNIST IDX files (default: $PIER_DATA_DIR or ~/.cache/pier/mnist).")
    Path dataDir;

    @Option(
            names = "--metrics-url",
            description = "Prometheus page of the server (default: URL/metrics for rest and tfserving; none for grpc).")
    java.net.URI metricsUrl;

    @Option(
            names = "--max-outstanding",
            defaultValue = "1024",
            description =
                    "Open loop: most requests in flight; later ones are dropped and counted as errors (default ${DEFAULT-VALUE}).")
    int maxOutstanding;

    @Option(
            names = "--timeout",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "Per-request timeout (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--report", paramLabel = "FILE.html", description = "Also write a self-contained HTML report.")
    Path report;

    @Option(
            names = "--batch-size",
            defaultValue = "1",
            description =
                    "--in-process: rows per inference for random or dataset inputs; an --input file brings its own (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--threads", defaultValue = "1", description = "Concurrent callers (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--intra-op-threads",
            defaultValue = "1",
            description = "ONNX Runtime intra-op threads (default ${DEFAULT-VALUE}).")
    int intraOpThreads;

    @Option(
            names = "--duration",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Measured time (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--warmup",
            defaultValue = "2s",
            converter = DurationConverter.class,
            description = "Warm-up time (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if ((model == null) == (url == null)) {
            throw new IllegalArgumentException(
                    "give either --in-process MODEL.onnx or --url http://HOST:PORT --model NAME");
        }
        if (url != null) {
            return sweep();
        }
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("model file " + model + " does not exist");
        }
        if (batchSize < 1 || threads < 1) {
            throw new IllegalArgumentException("--batch-size and --threads must be >= 1");
        }
        SessionOptions options = new SessionOptions(intraOpThreads, 1, SessionOptions.Optimization.ALL);
        try (OrtEngine engine = new OrtEngine();
                ModelSession session = engine.load(model, options)) {
            if (input != null && !Files.isRegularFile(input)) {
                throw new IllegalArgumentException("--input file " + input + " does not exist");
            }
            if (dataset != null && !dev.pier.data.Mnist.handles(dataset)) {
                throw new IllegalArgumentException(
                        "--dataset must be mnist:test or mnist:train, got '" + dataset + "'");
            }
            dev.pier.bench.InProcessInputs.Batch batch = dev.pier.bench.InProcessInputs.of(
                    session.signature().inputs(),
                    batchSize,
                    input,
                    dataset,
                    dataDir != null ? dataDir : dev.pier.data.MnistFetcher.defaultDir());
            InProcessBenchmark.Result r =
                    InProcessBenchmark.run(session, batch.inputs(), batch.rows(), threads, warmup, duration);
            System.out.printf(
                    "in-process ONNX Runtime  model=%s batch=%d threads=%d inputs=%s%n",
                    model.getFileName(),
                    batch.rows(),
                    threads,
                    input != null ? input : dataset != null ? dataset : "random");
            System.out.printf(
                    "  %.0f inferences/s (%.0f rows/s), p50 %.3f ms, p99 %.3f ms, mean %.4f ms over %d calls;"
                            + " %.2f CPU cores used%n",
                    r.requestsPerSecond(),
                    r.rowsPerSecond(),
                    r.latency().p50Ms(),
                    r.latency().p99Ms(),
                    r.latency().meanMs(),
                    r.requests(),
                    r.cpuCores());
            if (json != null) {
                dev.pier.io.AtomicFiles.write(
                        json,
                        new ObjectMapper()
                                .enable(SerializationFeature.INDENT_OUTPUT)
                                .writeValueAsBytes(r));
            }
        }
        return 0;
    }

    /**
     * One metadata call before the sweep, so that a wrong address or port is one clear line at once instead of
     * a sweep of failed requests.
     */
    private void probe(dev.pier.bench.Protocol proto, java.net.URI target) {
        String model = java.net.URLEncoder.encode(modelName, java.nio.charset.StandardCharsets.UTF_8);
        if (proto != dev.pier.bench.Protocol.GRPC) {
            new dev.pier.protocol.client.RestClient(target, timeout)
                    .get((proto == dev.pier.bench.Protocol.TFSERVING ? "/v1/models/" : "/v2/models/") + model);
            return;
        }
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1));
        try (dev.pier.protocol.client.GrpcV2Client client =
                new dev.pier.protocol.client.GrpcV2Client(vertx, target.getHost(), target.getPort())) {
            client.modelMetadata(modelName)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalArgumentException(
                    "cannot read the metadata of model '" + modelName + "' over gRPC at " + target.getHost() + ":"
                            + target.getPort() + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalArgumentException(
                    "no gRPC answer from " + target.getHost() + ":" + target.getPort() + " within " + timeout.toMillis()
                            + " ms",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            vertx.close();
        }
    }

    /** The address the sweep dials: the same spellings {@code pier predict --url} accepts. */
    static java.net.URI target(String url, boolean grpc) {
        if (grpc) {
            java.net.URI g = dev.pier.predict.ServerAddresses.grpc(url);
            return java.net.URI.create("http://" + g.getHost() + ":" + g.getPort());
        }
        return dev.pier.predict.ServerAddresses.rest(url);
    }

    private int sweep() throws Exception {
        if (modelName == null) {
            throw new IllegalArgumentException("--url needs --model NAME (the model's name on the server)");
        }
        dev.pier.bench.Protocol proto;
        try {
            proto = dev.pier.bench.Protocol.valueOf(protocol.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--protocol must be rest, grpc or tfserving, got '" + protocol + "'");
        }
        if (input != null && !Files.isRegularFile(input)) {
            throw new IllegalArgumentException("--input file " + input + " does not exist");
        }
        if (dataset != null && !dev.pier.data.Mnist.handles(dataset)) {
            throw new IllegalArgumentException("--dataset must be mnist:test or mnist:train, got '" + dataset + "'");
        }
        java.util.List<Integer> levels = concurrency != null
                ? concurrency
                : rate == null ? java.util.List.of(1, 2, 4, 8, 16, 32) : java.util.List.of();
        boolean grpc = proto == dev.pier.bench.Protocol.GRPC;
        java.net.URI target = target(url, grpc);
        java.net.URI metrics = metricsUrl != null ? metricsUrl : grpc ? null : target.resolve("/metrics");
        dev.pier.bench.SweepOptions options = new dev.pier.bench.SweepOptions(
                target,
                modelName,
                proto,
                binary,
                levels,
                rate == null ? java.util.List.of() : rate,
                duration,
                warmup,
                sloP99.toNanos() / 1e6,
                input,
                dataset,
                dataDir != null ? dataDir : dev.pier.data.MnistFetcher.defaultDir(),
                metrics,
                maxOutstanding,
                timeout);
        dev.pier.bench.SweepResult result;
        try {
            probe(proto, target);
            result = dev.pier.bench.Sweep.run(options, System.out);
        } catch (RuntimeException e) {
            throw WrongPortHint.explain(e, grpc, target.getHost(), target.getPort());
        }
        System.out.println(result.title());
        System.out.print(dev.pier.bench.SweepTable.format(result));
        if (json != null) {
            dev.pier.bench.SweepJson.write(result, json);
        }
        if (report != null) {
            dev.pier.bench.HtmlReport.write(result, report);
        }
        return 0;
    }
}
