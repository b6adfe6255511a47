package dev.pier.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.api.DataType;
import dev.pier.api.InferRequest;
import dev.pier.api.Shape;
import dev.pier.api.TensorSpec;
import dev.pier.protocol.client.GrpcV2Client;
import dev.pier.protocol.client.RestClient;
import dev.pier.protocol.grpc.v2.ModelMetadataResponse;
import dev.pier.protocol.kserve.V2Codec;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Runs a load sweep against a running server: prepares the requests once (from a file, a dataset or random
 * data shaped from the model's metadata), then for each concurrency level or rate warms up, reads the
 * server's metrics, measures, and reads them again. Not thread-safe; one sweep at a time.
 */
public final class Sweep {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Sweep() {}

    public static SweepResult run(SweepOptions o, PrintStream progress) throws IOException, InterruptedException {
        // two event loops at most: the client must leave the (small) machine to the server under test
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(Math.min(2, Runtime.getRuntime().availableProcessors())));
        String host = o.url().getHost();
        int port = o.url().getPort();
        int connections = Math.max(
                o.maxOutstanding(),
                o.concurrency().stream().mapToInt(Integer::intValue).max().orElse(1));
        try (Transport transport = transport(vertx, o, host, port, connections)) {
            LoadGenerator load =
                    new LoadGenerator(transport, o.timeout().plusSeconds(1)); // late answers time out first
            ServerMetrics metrics = o.metricsUrl() == null ? null : new ServerMetrics(o.metricsUrl(), o.model());
            List<StepResult> steps = new ArrayList<>();
            List<Double> levels = o.rates().isEmpty()
                    ? o.concurrency().stream().map(Integer::doubleValue).toList()
                    : o.rates();
            for (double level : levels) {
                boolean closed = o.rates().isEmpty();
                if (!o.warmup().isZero()) {
                    step(load, closed, level, o.warmup(), o.maxOutstanding());
                }
                Optional<ServerMetrics.Reading> before = metrics == null ? Optional.empty() : metrics.read();
                StepResult s = step(load, closed, level, o.duration(), o.maxOutstanding());
                Optional<ServerMetrics.Reading> after = metrics == null ? Optional.empty() : metrics.read();
                s = s.withServer(ServerMetrics.delta(before, after));
                steps.add(s);
                progress.printf(
                        Locale.ROOT,
                        "  %s %s: %.1f req/s, p50 %.3f ms, p99 %.3f ms, %d errors%n",
                        closed ? "concurrency" : "rate",
                        SweepTable.fmtLoad(s),
                        s.throughput(),
                        s.latency().p50Ms(),
                        s.latency().p99Ms(),
                        s.errors());
            }
            String title = String.format(
                    Locale.ROOT,
                    "model %s, %s%s at %s, %s per step",
                    o.model(),
                    o.protocol().name().toLowerCase(Locale.ROOT),
                    o.binary() ? " (binary)" : "",
                    o.url(),
                    o.duration().toMillis() % 1000 == 0
                            ? o.duration().toSeconds() + " s"
                            : o.duration().toMillis() + " ms");
            return new SweepResult(
                    title,
                    o.rates().isEmpty() ? StepResult.Mode.CONCURRENCY : StepResult.Mode.RATE,
                    steps,
                    o.sloP99Ms());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static StepResult step(LoadGenerator load, boolean closed, double level, java.time.Duration d, int cap)
            throws InterruptedException {
        return closed ? load.closedLoop((int) level, d) : load.openLoop(level, d, cap);
    }

    static Transport transport(Vertx vertx, SweepOptions o, String host, int port, int connections) throws IOException {
        if (o.protocol() == Protocol.TFSERVING && o.inputFile() != null) {
            return new HttpTransport(
                    vertx,
                    host,
                    port,
                    HttpBodies.tfServingRaw(o.model(), List.of(Files.readAllBytes(o.inputFile()))),
                    connections,
                    o.timeout());
        }
        List<InferRequest> requests = requests(vertx, o, host, port);
        return switch (o.protocol()) {
            case REST ->
                new HttpTransport(
                        vertx, host, port, HttpBodies.v2(o.model(), requests, o.binary()), connections, o.timeout());
            case TFSERVING ->
                new HttpTransport(
                        vertx, host, port, HttpBodies.tfServing(o.model(), requests), connections, o.timeout());
            case GRPC -> new GrpcTransport(vertx, host, port, requests);
        };
    }

    static List<InferRequest> requests(Vertx vertx, SweepOptions o, String host, int port) throws IOException {
        if (o.inputFile() != null) {
            byte[] body = Files.readAllBytes(o.inputFile());
            try {
                return List.of(V2Codec.decodeRequest(body, -1, o.model(), OptionalLong.empty()));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "--input " + o.inputFile() + " is not a KServe V2 inference request "
                                + "({\"inputs\": [{\"name\", \"datatype\", \"shape\", \"data\"}]}): " + e.getMessage(),
                        e);
            }
        }
        List<TensorSpec> inputs = metadata(vertx, o, host, port);
        return o.dataset() != null
                ? BenchInputs.mnist(o.model(), inputs, o.dataset(), o.dataDir())
                : BenchInputs.random(o.model(), inputs);
    }

    /** The model's inputs, from V2 REST metadata or, for gRPC, the ModelMetadata call. */
    static List<TensorSpec> metadata(Vertx vertx, SweepOptions o, String host, int port) throws IOException {
        List<TensorSpec> specs = new ArrayList<>();
        if (o.protocol() == Protocol.GRPC) {
            GrpcV2Client client = new GrpcV2Client(vertx, host, port);
            try {
                ModelMetadataResponse m = client.modelMetadata(o.model())
                        .toCompletionStage()
                        .toCompletableFuture()
                        .join();
                for (ModelMetadataResponse.TensorMetadata t : m.getInputsList()) {
                    specs.add(spec(
                            t.getName(),
                            t.getDatatype(),
                            t.getShapeList().stream().mapToLong(Long::longValue).toArray()));
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "cannot read the metadata of model '" + o.model() + "' over gRPC at " + o.url() + ": "
                                + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()),
                        e);
            } finally {
                client.close();
            }
            return specs;
        }
        String path = "/v2/models/" + java.net.URLEncoder.encode(o.model(), java.nio.charset.StandardCharsets.UTF_8);
        JsonNode root;
        try {
            root = JSON.readTree(new RestClient(o.url(), o.timeout()).get(path));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "cannot read the metadata of model '" + o.model() + "' at " + o.url()
                            + path + " (is a Pier, Triton or KServe V2 server listening there, serving that model?): "
                            + e.getMessage(),
                    e);
        }
        for (JsonNode t : root.path("inputs")) {
            long[] dims = new long[t.path("shape").size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = t.path("shape").get(i).asLong();
            }
            specs.add(spec(t.path("name").asText(), t.path("datatype").asText(), dims));
        }
        if (specs.isEmpty()) {
            throw new IllegalArgumentException(
                    "the metadata of model '" + o.model() + "' at " + o.url() + path + " lists no inputs: " + root);
        }
        return specs;
    }

    private static TensorSpec spec(String name, String datatype, long[] dims) {
        DataType type = DataType.fromWireName(datatype)
                .orElseThrow(() -> new IllegalArgumentException(
                        "model input '" + name + "' has datatype '" + datatype + "', which is not a KServe V2 type"));
        return new TensorSpec(name, type, Shape.of(dims));
    }
}
