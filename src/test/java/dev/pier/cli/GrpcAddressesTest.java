package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.examples.ExampleModels;
import dev.pier.server.RunningServer;
import dev.pier.server.ServerOptions;
import dev.pier.serving.ServingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 5: gRPC addresses are read alike by predict and bench ({@code host:port}, {@code grpc://}), and a
 * client on the wrong one of the server's two ports gets one line saying so. Against a real server on 127.0.0.1.
 */
class GrpcAddressesTest {
    @TempDir
    static Path root;

    static RunningServer server;
    static Path request;

    @BeforeAll
    static void start() throws Exception {
        ExampleModels.writeMnistRepository(root.resolve("repo"), 7);
        server = RunningServer.start(
                ServingOptions.of(root.resolve("repo"), null),
                new ServerOptions("127.0.0.1", 0, 0, ServerOptions.DEFAULT_MAX_BODY_BYTES, 1));
        request = root.resolve("req.json");
        Files.writeString(
                request,
                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,784],\"datatype\":\"FP32\",\"data\":["
                        + String.join(",", Collections.nCopies(784, "0.5")) + "]}]}");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void benchTakesTheGrpcSpellingsPredictTakes() {
        for (String url : new String[] {"127.0.0.1:" + server.grpcPort(), "grpc://127.0.0.1:" + server.grpcPort()}) {
            CliRun predict = CliRun.of(
                    "predict", "--url", url, "--protocol", "grpc", "--model", "mnist", "--input", request.toString());
            assertThat(predict.exit()).as(url + predict.err()).isZero();
            CliRun bench = CliRun.of(
                    "bench",
                    "--url",
                    url,
                    "--protocol",
                    "grpc",
                    "--model",
                    "mnist",
                    "--input",
                    request.toString(),
                    "--concurrency",
                    "1",
                    "--duration",
                    "300ms",
                    "--warmup",
                    "0s");
            assertThat(bench.exit()).as(url + bench.err()).isZero();
            assertThat(bench.out()).contains("conc").contains("300 ms per step").doesNotContain("PT0.3S");
        }
    }

    @Test
    void grpcOnTheRestPortAndRestOnTheGrpcPortSayWhichPortIsWhich() {
        String rest = "127.0.0.1:" + server.httpPort();
        String grpc = "127.0.0.1:" + server.grpcPort();
        CliRun bench = CliRun.of(
                "bench",
                "--url",
                "http://" + rest,
                "--protocol",
                "grpc",
                "--model",
                "mnist",
                "--input",
                request.toString(),
                "--concurrency",
                "1",
                "--duration",
                "300ms",
                "--warmup",
                "0s");
        assertThat(bench.exit()).as(bench.out() + bench.err()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(lastLine(bench.err()))
                .isEqualTo("pier: " + rest + " answers plain HTTP, not gRPC: is it the REST port? "
                        + "Give the server's gRPC port (pier serve --grpc-port, default 8500)");

        CliRun predict = CliRun.of(
                "predict", "--url", rest, "--protocol", "grpc", "--model", "mnist", "--input", request.toString());
        assertThat(predict.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(lastLine(predict.err())).contains(rest + " answers plain HTTP, not gRPC");

        CliRun restOnGrpc =
                CliRun.of("predict", "--url", "http://" + grpc, "--model", "mnist", "--input", request.toString());
        assertThat(restOnGrpc.exit()).isEqualTo(PierCli.EXIT_USAGE);
        assertThat(lastLine(restOnGrpc.err()))
                .contains(grpc + " answered with an empty error, as a gRPC port does to REST");
    }

    @Test
    void theDefaultPortsAreNamed() {
        RuntimeException grpcOnRest = WrongPortHint.explain(
                new RuntimeException(
                        "gRPC call failed",
                        new RuntimeException(
                                "First received frame was not SETTINGS. Hex dump for first 5 bytes: 485454502f")),
                true,
                "localhost",
                8501);
        assertThat(grpcOnRest.getMessage()).endsWith("8501 is the REST port; gRPC is on 8500");
        RuntimeException restOnGrpc =
                WrongPortHint.explain(new RuntimeException("HTTP 500: "), false, "localhost", 8500);
        assertThat(restOnGrpc.getMessage()).endsWith("8500 is the gRPC port; REST is on 8501");
        RuntimeException other = new RuntimeException("model 'x' not found");
        assertThat(WrongPortHint.explain(other, false, "localhost", 8501)).isSameAs(other);
    }

    private static String lastLine(String text) {
        return text.strip().lines().reduce((a, b) -> b).orElse("");
    }
}
