package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pier.protocol.grpc.v2.InferTensorContents;
import dev.pier.protocol.grpc.v2.ModelInferRequest;
import dev.pier.protocol.grpc.v2.ModelInferResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 items 1, 3 and 7 against a real {@code pier serve} process: dynamic batching merges concurrent
 * requests from REST and gRPC (seen in {@code /metrics}) and gives each caller its own rows; a full queue
 * answers 503 with Retry-After at once; an expired deadline answers 504 without running; {@code /metrics}
 * carries Triton's series with model/version labels and values that match what was sent.
 */
class ProductionServingEndToEndTest {
    @TempDir
    static Path dir;

    static TestRepository repo;
    static PierProcess pier;
    static Http http;
    static GrpcCalls grpc;

    @BeforeAll
    static void start() throws Exception {
        repo = new TestRepository(dir.resolve("models"));
        // mlp v1 batches (long delay so concurrent requests surely meet); ints has a tiny queue; multi waits long
        Files.writeString(repo.root.resolve("mlp/config.yaml"), """
                version_policy: {specific: {versions: [1]}}
                max_batch_size: 64
                dynamic_batching: {max_queue_delay_microseconds: 100000, max_queue_size: 100}
                instance_group: [{count: 1}]
                """);
        Files.writeString(repo.root.resolve("ints/config.yaml"), """
                max_batch_size: 8
                dynamic_batching: {max_queue_delay_microseconds: 3000000, max_queue_size: 2}
                """);
        Files.writeString(repo.root.resolve("multi/config.yaml"), """
                max_batch_size: 8
                dynamic_batching: {max_queue_delay_microseconds: 20000000}
                """);
        for (String slow : List.of("slow", "abandoned")) {
            Files.createDirectories(repo.root.resolve(slow + "/1"));
            Files.copy(repo.root.resolve("multi/1/model.onnx"), repo.root.resolve(slow + "/1/model.onnx"));
            Files.writeString(repo.root.resolve(slow + "/config.yaml"), """
                    max_batch_size: 8
                    dynamic_batching: {max_queue_delay_microseconds: 20000000}
                    """);
        }
        pier = PierProcess.serve("--model-repository", repo.root.toString());
        http = new Http(pier.httpPort());
        grpc = new GrpcCalls(pier.grpcPort());
        // warm both JVMs up on a model no test counts, so timing bounds measure queueing, not class loading
        http.post("/v2/models/mlp/versions/1/infer", mlpBody(ServeEndToEndTest.rows(1, 1)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (grpc != null) {
            grpc.close();
        }
        if (pier != null) {
            pier.close();
        }
    }

    static String mlpBody(float[][] x) {
        StringJoiner data = new StringJoiner(",");
        for (float[] row : x) {
            for (float v : row) {
                data.add(Float.toString(v));
            }
        }
        return "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[" + x.length + "," + TestRepository.IN
                + "],\"data\":[" + data + "]}]}";
    }

    static double metric(String scrape, String name, String model, String version) {
        Pattern p = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$");
        Matcher m = p.matcher(scrape);
        while (m.find()) {
            if (m.group(1).contains("model=\"" + model + "\"") && m.group(1).contains("version=\"" + version + "\"")) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError(
                "no " + name + "{model=" + model + ",version=" + version + "} in /metrics:\n" + scrape);
    }

    @Test
    void concurrentRequestsFromBothProtocolsAreBatchedAndEachGetsItsOwnRows() throws Exception {
        int clients = 24;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        String before = http.get("/metrics").text();
        try {
            List<Future<float[]>> answers = new ArrayList<>();
            List<float[][]> sent = new ArrayList<>();
            int rowsSent = 0;
            for (int c = 0; c < clients; c++) {
                float[][] x = ServeEndToEndTest.rows(1 + c % 3, 1000 + c);
                sent.add(x);
                rowsSent += x.length;
                Callable<float[]> call = c % 4 == 3 ? () -> grpcInfer(x) : () -> restInfer(x);
                answers.add(pool.submit(call));
            }
            for (int c = 0; c < clients; c++) {
                float[] got = answers.get(c).get();
                float[][] x = sent.get(c);
                assertThat(got).hasSize(x.length * TestRepository.OUT);
                for (int r = 0; r < x.length; r++) {
                    double[] expected = repo.mlp(1, x[r]);
                    for (int k = 0; k < expected.length; k++) {
                        assertThat((double) got[r * TestRepository.OUT + k])
                                .as("client %d row %d class %d", c, r, k)
                                .isCloseTo(expected[k], within(1e-5));
                    }
                }
            }
            String scrape = http.get("/metrics").text();
            // other tests also use mlp (and may run before this one): compare against the scrape taken before
            assertThat(delta(before, scrape, "nv_inference_request_success")).isEqualTo(clients);
            assertThat(delta(before, scrape, "nv_inference_count")).isEqualTo(rowsSent);
            assertThat(delta(before, scrape, "nv_inference_exec_count"))
                    .isGreaterThanOrEqualTo(1)
                    .isLessThan(clients);
        } finally {
            pool.shutdownNow();
        }
    }

    private static double delta(String before, String after, String name) {
        return metric(after, name, "mlp", "1") - metric(before, name, "mlp", "1");
    }

    private static float[] restInfer(float[][] x) throws Exception {
        Http.Answer a = http.post("/v2/models/mlp/infer", mlpBody(x));
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        JsonNode data = a.json().get("outputs").get(0).get("data");
        float[] out = new float[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) data.get(i).asDouble();
        }
        return out;
    }

    private static float[] grpcInfer(float[][] x) {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (float[] row : x) {
            for (float v : row) {
                contents.addFp32Contents(v);
            }
        }
        ModelInferResponse answer = grpc.v2(
                "ModelInfer",
                ModelInferRequest.newBuilder()
                        .setModelName("mlp")
                        .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                                .setName("x")
                                .setDatatype("FP32")
                                .addShape(x.length)
                                .addShape(TestRepository.IN)
                                .setContents(contents))
                        .build(),
                ModelInferResponse.getDefaultInstance());
        return ServeEndToEndTest.floats(answer);
    }

    @Test
    void fullQueueIsRefusedQuicklyWithRetryAfterAndTheServerKeepsServing() throws Exception {
        String body = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT64\",\"shape\":[1,4],\"data\":[1,2,3,4]}]}";
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // two requests fill the queue of 2 (they wait up to 3 s for a batch of 8)
            Future<Http.Answer> first = pool.submit(() -> http.post("/v2/models/ints/infer", body));
            Future<Http.Answer> second = pool.submit(() -> http.post("/v2/models/ints/infer", body));
            String scrape;
            long waitUntil = System.nanoTime() + 2_000_000_000L;
            do {
                Thread.sleep(20);
                scrape = http.get("/metrics").text();
            } while (!scrape.contains("pier_inference_pending_requests{model=\"ints\",version=\"1\"} 2")
                    && System.nanoTime() < waitUntil);
            long start = System.nanoTime();
            Http.Answer refused = http.post("/v2/models/ints/infer", body);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(refused.status()).as(refused.text()).isEqualTo(503);
            assertThat(refused.raw().headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.json().get("error").asText()).contains("max_queue_size");
            assertThat(ms).as("refused at once, not after the 3 s batch delay").isLessThan(1500);
            for (Future<Http.Answer> f : List.of(first, second)) {
                Http.Answer ok = f.get();
                assertThat(ok.status()).isEqualTo(200);
                assertThat(ok.json().get("outputs").get(0).get("data").toString())
                        .isEqualTo("[2,4,6,8]");
            }
            assertThat(metric(http.get("/metrics").text(), "nv_inference_request_failure", "ints", "1"))
                    .isEqualTo(1);
            assertThat(restInfer(ServeEndToEndTest.rows(1, 5))).hasSize(TestRepository.OUT);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void expiredDeadlinesGet504WithoutRunning() throws Exception {
        String body = "{\"inputs\":[{\"name\":\"a\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,2,3]},"
                + "{\"name\":\"b\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,1,1]}]%s}";
        long start = System.nanoTime();
        Http.Answer byHeader = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pier.httpPort() + "/v2/models/multi/infer"))
                        .header("Content-Type", "application/json")
                        .header("Pier-Timeout-Ms", "150")
                        .POST(HttpRequest.BodyPublishers.ofString(String.format(Locale.ROOT, body, ""))));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(byHeader.status()).as(byHeader.text()).isEqualTo(504);
        assertThat(byHeader.json().get("error").asText()).contains("deadline").contains("not run");
        assertThat(ms)
                .as("dropped at its deadline, not after the 20 s batch delay")
                .isLessThan(10_000);

        Http.Answer byParameter = http.post(
                "/v2/models/multi/infer", String.format(Locale.ROOT, body, ",\"parameters\":{\"timeout\":100000}"));
        assertThat(byParameter.status()).as(byParameter.text()).isEqualTo(504);

        String scrape = http.get("/metrics").text();
        assertThat(metric(scrape, "nv_inference_request_failure", "multi", "1")).isEqualTo(2);
        assertThat(metric(scrape, "nv_inference_exec_count", "multi", "1")).isZero();
        assertThat(metric(scrape, "nv_inference_request_success", "multi", "1")).isZero();
    }

    @Test
    void grpcDeadlineIsEnforcedByTheServerToo() throws Exception {
        InferTensorContents.Builder ones = InferTensorContents.newBuilder()
                .addFp32Contents(1)
                .addFp32Contents(1)
                .addFp32Contents(1);
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName("slow");
        for (String name : List.of("a", "b")) {
            request.addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                    .setName(name)
                    .setDatatype("FP32")
                    .addShape(1)
                    .addShape(3)
                    .setContents(ones));
        }
        assertThatThrownBy(() -> grpc.call(
                        "inference.GRPCInferenceService",
                        "ModelInfer",
                        request.build(),
                        ModelInferResponse.getDefaultInstance(),
                        300))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        // the client gave up at 300 ms; the server must drop the queued request at that deadline too, long
        // before the 20 s batch delay would have run it
        long until = System.nanoTime() + 8_000_000_000L;
        double failures = 0;
        while (System.nanoTime() < until && failures == 0) {
            Thread.sleep(100);
            String scrape = http.get("/metrics").text();
            failures =
                    scrape.contains("model=\"slow\"") ? metric(scrape, "nv_inference_request_failure", "slow", "1") : 0;
        }
        String scrape = http.get("/metrics").text();
        assertThat(failures).isEqualTo(1);
        assertThat(metric(scrape, "nv_inference_exec_count", "slow", "1")).isZero();
    }

    @Test
    void workForAClientThatHungUpIsDroppedUnrun() throws Exception {
        String json = "{\"inputs\":[{\"name\":\"a\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,2,3]},"
                + "{\"name\":\"b\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,1,1]}]}";
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", pier.httpPort())) {
            socket.getOutputStream()
                    .write(("POST /v2/models/abandoned/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: " + json.length() + "\r\n\r\n" + json)
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            long until = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < until
                    && !http.get("/metrics")
                            .text()
                            .contains("pier_inference_pending_requests{model=\"abandoned\",version=\"1\"} 1")) {
                Thread.sleep(50);
            }
        }
        // queued for a 20 s batch delay; the hang-up must take it out of the queue well before that
        long until = System.nanoTime() + 8_000_000_000L;
        double failures = 0;
        while (System.nanoTime() < until && failures == 0) {
            Thread.sleep(100);
            failures = metric(http.get("/metrics").text(), "nv_inference_request_failure", "abandoned", "1");
        }
        String scrape = http.get("/metrics").text();
        assertThat(failures).isEqualTo(1);
        assertThat(metric(scrape, "nv_inference_exec_count", "abandoned", "1")).isZero();
        assertThat(metric(scrape, "pier_inference_pending_requests", "abandoned", "1"))
                .isZero();
    }

    @Test
    void metricsExposeTritonSeriesHistogramsAndJvmMetrics() throws Exception {
        float[][] x = ServeEndToEndTest.rows(2, 77);
        Http.Answer a = http.post(
                "/v2/models/strings/infer",
                "{\"inputs\":[{\"name\":\"s\",\"datatype\":\"BYTES\",\"shape\":[2],\"data\":[\"p\",\"q\"]}]}");
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        Http.Answer m = http.get("/metrics");
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        String scrape = m.text();
        assertThat(metric(scrape, "nv_inference_request_success", "strings", "1"))
                .isEqualTo(1);
        assertThat(metric(scrape, "nv_inference_count", "strings", "1")).isEqualTo(1);
        assertThat(metric(scrape, "nv_inference_exec_count", "strings", "1")).isEqualTo(1);
        assertThat(metric(scrape, "nv_inference_request_failure", "strings", "1"))
                .isZero();
        double total = metric(scrape, "nv_inference_request_duration_us", "strings", "1");
        double queue = metric(scrape, "nv_inference_queue_duration_us", "strings", "1");
        double compute = metric(scrape, "nv_inference_compute_infer_duration_us", "strings", "1");
        assertThat(compute).isPositive();
        assertThat(queue + compute).isLessThanOrEqualTo(total + 1);
        assertThat(metric(scrape, "pier_inference_request_duration_seconds_count", "strings", "1"))
                .isEqualTo(1);
        assertThat(scrape)
                .contains("pier_inference_request_duration_seconds_bucket{")
                .contains("pier_inference_batch_size_bucket{")
                .contains("jvm_memory_used_bytes")
                .contains("pier_inference_pending_requests{");
        assertThat(x).hasNumberOfRows(2);
    }
}
