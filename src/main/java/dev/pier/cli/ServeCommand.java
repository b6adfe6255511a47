package dev.pier.cli;

import dev.pier.server.RunningServer;
import dev.pier.server.ServerOptions;
import dev.pier.serving.ServingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

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

    @Option(names = "--workers", description = "Inferences of one model version run at once when its config has no instance_group (default: one per core).")
    Integer workers;

    @Option(names = "--queue-size", defaultValue = "256", description = "Requests that may wait per model version (when config.yaml sets no dynamic_batching.max_queue_size) before new ones get 503 (default ${DEFAULT-VALUE}).")
    int queueSize;

    @Option(names = "--default-timeout-ms", defaultValue = "0", description = "End-to-end deadline, queue time included, of requests that set none "
            + "(header Pier-Timeout-Ms, V2 parameter timeout in µs, gRPC deadline); expired requests get 504 without running (default ${DEFAULT-VALUE} = none).")
    long defaultTimeoutMs;

    @Option(names = "--event-loops", description = "Network event loops (default: one per core).")
    Integer eventLoops;

    @Override
    public Integer call() throws InterruptedException {
        if ((modelFile == null) == (repository == null)) {
            throw new IllegalArgumentException("give either MODEL.onnx or --model-repository DIR (exactly one)");
        }
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        ServingOptions servingOptions = ServingOptions.of(modelFile != null ? modelFile : repository, name)
                .withWorkers(workers != null ? workers : cores, queueSize).withDefaultTimeoutMs(defaultTimeoutMs);
        ServerOptions serverOptions = new ServerOptions(host, httpPort, grpcPort, maxBodyBytes,
                eventLoops != null ? eventLoops : cores);

        try (RunningServer running = RunningServer.start(servingOptions, serverOptions)) {
            running.printBanner(System.out);
            running.awaitClose();
        }
        return 0;
    }
}
