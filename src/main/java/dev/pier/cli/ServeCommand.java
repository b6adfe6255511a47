package dev.pier.cli;

import dev.pier.api.ModelVersionStatus;
import dev.pier.runtime.onnx.OrtEngine;
import dev.pier.server.PierServer;
import dev.pier.server.ServerOptions;
import dev.pier.serving.ServingCore;
import dev.pier.serving.ServingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code pier serve}: serves a model repository (or one model file) over REST and gRPC until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve ONNX models over KServe V2 (REST + gRPC) and TensorFlow Serving's REST API.")
public final class ServeCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "MODEL.onnx", description = "Serve this one model file (as version 1).")
    Path modelFile;

    @Option(names = {"--model-repository", "--model-store"}, paramLabel = "DIR",
            description = "Repository: DIR/<model>/[config.yaml], DIR/<model>/<version>/model.onnx.")
    Path repository;

    @Option(names = "--name", description = "Model name for a single MODEL.onnx (default: the file name).")
    String name;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Interface to bind (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = {"--http-port", "--rest-api-port"}, defaultValue = "8501", description = "REST port (default ${DEFAULT-VALUE}; 0 = any free port).")
    int httpPort;

    @Option(names = {"--grpc-port", "--port"}, defaultValue = "8500", description = "gRPC port (default ${DEFAULT-VALUE}; 0 = any free port).")
    int grpcPort;

    @Option(names = "--max-body-bytes", defaultValue = "67108864", description = "Largest request body or gRPC message (default ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(names = "--workers", description = "Inference worker threads (default: one per core).")
    Integer workers;

    @Option(names = "--queue-size", defaultValue = "256", description = "Requests that may wait for a worker before new ones get 503 (default ${DEFAULT-VALUE}).")
    int queueSize;

    @Option(names = "--event-loops", description = "Network event loops (default: one per core).")
    Integer eventLoops;

    @Override
    public Integer call() throws InterruptedException {
        if ((modelFile == null) == (repository == null)) {
            throw new IllegalArgumentException("give either MODEL.onnx or --model-repository DIR (exactly one)");
        }
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        ServingOptions servingOptions = ServingOptions.of(modelFile != null ? modelFile : repository, name)
                .withWorkers(workers != null ? workers : cores, queueSize);
        ServerOptions serverOptions = new ServerOptions(host, httpPort, grpcPort, maxBodyBytes,
                eventLoops != null ? eventLoops : cores);

        OrtEngine engine = new OrtEngine();
        ServingCore core = ServingCore.start(servingOptions, engine);
        PierServer server;
        try {
            server = PierServer.start(serverOptions, core);
        } catch (RuntimeException e) {
            core.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            core.close();
            engine.close();
            stopped.countDown();
        }, "pier-shutdown"));
        printBanner(System.out, core, server);
        stopped.await();
        return 0;
    }

    static void printBanner(PrintStream out, ServingCore core, PierServer server) {
        for (String model : core.modelNames()) {
            for (ModelVersionStatus s : core.status(model, OptionalLong.empty())) {
                out.println("pier: model " + model + " version " + s.version() + " " + s.state()
                        + (s.error().isEmpty() ? "" : ": " + s.error()));
            }
        }
        String shownHost = "127.0.0.1";
        out.println("pier: REST (KServe V2 /v2/..., TF Serving /v1/...) on http://" + shownHost + ":" + server.httpPort());
        out.println("pier: gRPC (inference.GRPCInferenceService, grpc.health.v1.Health) on " + shownHost + ":" + server.grpcPort());
        out.println("pier: ready=" + core.isReady() + "; Ctrl-C to stop");
        out.flush();
    }
}
