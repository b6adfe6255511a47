package dev.pier.cli;

import dev.pier.data.MnistFetcher;
import dev.pier.quickstart.DemoRequest;
import dev.pier.quickstart.Quickstart;
import dev.pier.quickstart.QuickstartOptions;
import dev.pier.quickstart.QuickstartResult;
import dev.pier.server.RunningServer;
import dev.pier.server.ServerOptions;
import dev.pier.serving.ServingOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pier quickstart}: the reference example end to end, then serving the model it made. */
@Command(
        name = "quickstart",
        mixinStandardHelpOptions = true,
        description =
                "Get MNIST, train the 784-128-10 classifier (Adam, lr 0.001, batch 32, 10 epochs, 20%% validation), "
                        + "evaluate it on the 10,000 test images, write it to the model repository, serve it on 8501 (REST) and "
                        + "8500 (gRPC), and send the first test image to /v1/models/mnist:predict.")
public final class QuickstartCommand implements Callable<Integer> {

    @Option(
            names = "--model-repository",
            defaultValue = "models",
            description = "Repository to write into and serve (default ${DEFAULT-VALUE}).")
    Path repository;

    @Option(
            names = "--data-dir",
            description = "Folder of MNIST IDX files (default: $PIER_DATA_DIR or ~/.cache/pier/mnist; fetched once).")
    Path dataDir;

    @Option(names = "--epochs", defaultValue = "10", description = "Training epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--train-limit",
            defaultValue = "0",
            description = "Use only the first N training images (default: all).")
    int trainLimit;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-progress", description = "Print one line per epoch instead of progress bars.")
    boolean noProgress;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Interface to bind (default ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = "--http-port",
            defaultValue = "8501",
            description = "REST port (default ${DEFAULT-VALUE}; 0 = any free port).")
    int httpPort;

    @Option(
            names = "--grpc-port",
            defaultValue = "8500",
            description = "gRPC port (default ${DEFAULT-VALUE}; 0 = any free port).")
    int grpcPort;

    @Option(names = "--exit-after-demo", description = "Stop serving after the demo request (for scripts and CI).")
    boolean exitAfterDemo;

    /** {@code request.json} beside the repository folder: the current folder for the default {@code models}. */
    private Path requestFile() {
        Path parent = repository.normalize().getParent();
        return parent == null ? Path.of("request.json") : parent.resolve("request.json");
    }

    @Override
    public Integer call() throws Exception {
        Path data = dataDir != null ? dataDir : MnistFetcher.defaultDir();
        QuickstartResult result = new Quickstart(System.out)
                .prepare(new QuickstartOptions(repository, data, epochs, trainLimit, seed, !noProgress));
        ServerOptions network = new ServerOptions(
                host,
                httpPort,
                grpcPort,
                ServerOptions.DEFAULT_MAX_BODY_BYTES,
                Math.max(1, Runtime.getRuntime().availableProcessors()));
        try (RunningServer running = RunningServer.start(ServingOptions.of(repository, null), network)) {
            running.printBanner(System.out);
            DemoRequest.Answer answer = DemoRequest.send(running.httpPort(), data);
            System.out.printf(
                    "pier: POST %s with the first test image -> predicted %d (p=%.4f), true label %d%s%n",
                    answer.url(),
                    answer.predicted(),
                    answer.probability(),
                    answer.trueLabel(),
                    answer.predicted() == answer.trueLabel() ? "" : "  (wrong)");
            System.out.println("pier: response " + answer.responseJson());
            System.out.println("pier: served model " + QuickstartOptions.MODEL + " version " + result.version()
                    + ", test accuracy "
                    + String.format("%.4f", result.evaluation().accuracy()));
            Path request = DemoRequest.writeRequest(requestFile(), data);
            System.out.println("pier: try it:  curl -d @" + request + " http://127.0.0.1:" + running.httpPort()
                    + "/v1/models/mnist:predict   (" + request
                    + ": the first test image, {\"instances\": [[784 floats in 0..1]]})");
            if (!exitAfterDemo) {
                running.awaitClose();
            }
        }
        return 0;
    }
}
