package dev.pier.cli;

import dev.pier.api.ModelState;
import dev.pier.api.ModelVersionStatus;
import dev.pier.modelcontrol.ModelControlOptions;
import dev.pier.monitor.drift.DriftOptions;
import dev.pier.monitor.log.PredictionLogOptions;
import dev.pier.monitor.log.PredictionMonitoringOptions;
import dev.pier.security.SecurityOptions;
import dev.pier.server.IntakeLimits;
import dev.pier.server.ProcessClock;
import dev.pier.server.RunningServer;
import dev.pier.server.ServerOptions;
import dev.pier.server.ServerSetup;
import dev.pier.server.ShutdownOptions;
import dev.pier.server.StartupTimeline;
import dev.pier.serving.ServingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pier serve}: serves a model repository (or one model file) over REST and gRPC until stopped. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Serve ONNX models over KServe V2 (REST + gRPC) and TensorFlow Serving's REST API.")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    ObservabilityMixin observability = new ObservabilityMixin();

    @Parameters(arity = "0..1", paramLabel = "MODEL.onnx", description = "Serve this one model file (as version 1).")
    Path modelFile;

    @Option(
            names = {"--model-repository", "--model-store"},
            paramLabel = "DIR",
            description = "Repository: DIR/<model>/[config.yaml], DIR/<model>/<version>/model.onnx.")
    Path repository;

    @Option(
            names = "--exit-on-error",
            arity = "0..1",
            fallbackValue = "true",
            defaultValue = "false",
            paramLabel = "BOOL",
            description =
                    "Exit with status 1 when a model fails to load at start-up (Triton's flag). Default ${DEFAULT-VALUE}: "
                            + "the server stays up, reports ready=false, and the failed model's status says why.")
    boolean exitOnError;

    @Option(names = "--name", description = "Model name for a single MODEL.onnx (default: the file name).")
    String name;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Interface to bind (default ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = {"--http-port", "--rest-api-port"},
            defaultValue = "8501",
            description = "REST port (default ${DEFAULT-VALUE}; 0 = any free port).")
    int httpPort;

    @Option(
            names = {"--grpc-port", "--port"},
            defaultValue = "8500",
            description = "gRPC port (default ${DEFAULT-VALUE}; 0 = any free port).")
    int grpcPort;

    @Option(
            names = "--max-body-bytes",
            defaultValue = "67108864",
            description = "Largest request body or gRPC message (default ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(
            names = "--max-inflight-body-bytes",
            paramLabel = "BYTES",
            description =
                    "Request-body bytes all connections may have in flight (being received, not yet decoded); past it new bodies get 503 + Retry-After "
                            + "(gRPC RESOURCE_EXHAUSTED) without being read (default: a quarter of the heap).")
    Long maxInflightBodyBytes;

    @Option(
            names = "--header-timeout",
            defaultValue = "10s",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description =
                    "A connection must send a request's complete headers within this of opening or of its previous answer; else it is closed (default ${DEFAULT-VALUE}).")
    Duration headerTimeout;

    @Option(
            names = "--body-idle-timeout",
            defaultValue = "30s",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "A request body that sends nothing for this long is cut with 408 (default ${DEFAULT-VALUE}).")
    Duration bodyIdleTimeout;

    @Option(
            names = "--keep-alive-timeout",
            defaultValue = "60s",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description =
                    "An idle keep-alive connection is closed after this (HTTP/2: GOAWAY) (default ${DEFAULT-VALUE}).")
    Duration keepAliveTimeout;

    @Option(
            names = "--max-connections",
            paramLabel = "N",
            description =
                    "Open connections on both ports together; past it requests get 503 (gRPC UNAVAILABLE) except health checks, and the connection is closed "
                            + "(default: three quarters of the file-descriptor limit, at most 10000).")
    Integer maxConnections;

    @Option(
            names = "--max-streams-per-connection",
            defaultValue = "128",
            paramLabel = "N",
            description = "Concurrent HTTP/2 streams (gRPC calls) per connection (default ${DEFAULT-VALUE}).")
    int maxStreamsPerConnection;

    @Option(
            names = "--workers",
            description =
                    "Inferences of one model version run at once when its config has no instance_group (default: one per core).")
    Integer workers;

    @Option(
            names = "--queue-size",
            defaultValue = "256",
            description =
                    "Requests that may wait per model version (when config.yaml sets no dynamic_batching.max_queue_size) before new ones get 503 (default ${DEFAULT-VALUE}).")
    int queueSize;

    @Option(
            names = "--default-timeout-ms",
            defaultValue = "0",
            description =
                    "End-to-end deadline, queue time included, of requests that set none "
                            + "(header Pier-Timeout-Ms, V2 parameter timeout in µs, gRPC deadline); expired requests get 504 without running (default ${DEFAULT-VALUE} = none).")
    long defaultTimeoutMs;

    @Option(
            names = "--memory-budget-mb",
            defaultValue = "0",
            paramLabel = "MB",
            description =
                    "Memory all loaded models may hold together, estimated from their file sizes; least recently used idle models are "
                            + "unloaded to make room and a model that cannot fit gets 507 (default ${DEFAULT-VALUE} = unlimited).")
    long memoryBudgetMb;

    @Option(names = "--lazy-load", description = "Load each model on its first request instead of at start-up.")
    boolean lazyLoad;

    @Option(names = "--event-loops", description = "Network event loops (default: one per core).")
    Integer eventLoops;

    @Option(
            names = "--drain-seconds",
            defaultValue = "5",
            paramLabel = "S",
            description =
                    "On SIGTERM: report not-ready at once but keep serving this long, so load balancers stop routing here (default ${DEFAULT-VALUE}).")
    double drainSeconds;

    @Option(
            names = "--grace-seconds",
            defaultValue = "30",
            paramLabel = "S",
            description =
                    "On SIGTERM: total time (drain included) for accepted requests to finish before the process exits 0 (default ${DEFAULT-VALUE}).")
    double graceSeconds;

    @Option(
            names = "--model-control",
            defaultValue = "none",
            paramLabel = "MODE",
            description =
                    "none: serve what is there at start-up; poll: re-scan the repository every --poll-interval and roll new versions in; "
                            + "explicit: serve only models loaded with --load-model or the repository API (POST /v2/repository/index, /v2/repository/models/M/load|unload) (default ${DEFAULT-VALUE}).")
    String modelControl;

    @Option(
            names = "--poll-interval",
            defaultValue = "2s",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Time between repository scans with --model-control poll (default ${DEFAULT-VALUE}).")
    Duration pollInterval;

    @Option(
            names = "--load-model",
            paramLabel = "MODEL",
            description =
                    "With --model-control explicit: load this model at start-up (repeatable); others wait for POST /v2/repository/models/MODEL/load.")
    List<String> loadModels = new ArrayList<>();

    @Option(
            names = "--auth-token-file",
            paramLabel = "FILE",
            description =
                    "Require 'Authorization: Bearer <token>' (token = first line of FILE) on every call except health checks and the dashboard's page and static files (its data still needs the token).")
    Path authTokenFile;

    @Option(
            names = "--admin-token-file",
            paramLabel = "FILE",
            description = "Token for the repository API (/v2/repository/...); default: the --auth-token-file token.")
    Path adminTokenFile;

    @Option(
            names = "--tls-cert",
            paramLabel = "PEM",
            description = "Serve REST and gRPC over TLS with this certificate chain (PEM).")
    Path tlsCert;

    @Option(
            names = "--tls-key",
            paramLabel = "PEM",
            description = "Private key (PEM, PKCS#8 or PKCS#1) for --tls-cert.")
    Path tlsKey;

    @Option(
            names = "--no-drift",
            description =
                    "Do not watch for data drift (by default every model version with a <stem>.profile.json or profile.json beside its model file is watched).")
    boolean noDrift;

    @Option(
            names = "--drift-window",
            defaultValue = "500",
            paramLabel = "ROWS",
            description =
                    "Live rows per drift window, compared with the version's reference profile (default ${DEFAULT-VALUE}).")
    int driftWindow;

    @Option(
            names = "--drift-every",
            defaultValue = "100",
            paramLabel = "ROWS",
            description = "Rows between two drift evaluations of a full window (default ${DEFAULT-VALUE}).")
    int driftEvery;

    @Option(
            names = "--drift-psi-threshold",
            defaultValue = "0.2",
            description =
                    "Drift is flagged when a feature's (or the predicted classes') PSI exceeds this (default ${DEFAULT-VALUE}).")
    double driftPsiThreshold;

    @Option(
            names = "--drift-ks-alpha",
            defaultValue = "0",
            description =
                    "Drift is also flagged when a feature's KS p-value is below this divided by the number of features; 0 = off (default ${DEFAULT-VALUE}).")
    double driftKsAlpha;

    @Option(
            names = "--prediction-log",
            paramLabel = "DIR",
            description =
                    "Log sampled requests and responses, and all feedback, as JSON lines in DIR (rotated, size-bounded, never blocking requests).")
    Path predictionLog;

    @Option(
            names = "--prediction-log-sample-rate",
            defaultValue = "1.0",
            paramLabel = "R",
            description =
                    "Share of requests logged, chosen by a hash of the request id so replicas agree (default ${DEFAULT-VALUE}).")
    double predictionLogSampleRate;

    @Option(
            names = "--prediction-log-max-file-bytes",
            defaultValue = "67108864",
            paramLabel = "BYTES",
            description = "Start a new log file before one passes this size (default ${DEFAULT-VALUE}).")
    long predictionLogMaxFileBytes;

    @Option(
            names = "--prediction-log-max-files",
            defaultValue = "10",
            paramLabel = "N",
            description =
                    "Log files kept; the oldest is deleted first, so the log takes at most N x max-file-bytes (default ${DEFAULT-VALUE}).")
    int predictionLogMaxFiles;

    @Option(
            names = "--feedback-window",
            defaultValue = "100000",
            paramLabel = "N",
            description =
                    "POST /v2/models/M/feedback can label the last N answered requests; feeds pier_live_accuracy etc. (default ${DEFAULT-VALUE}; 0 = off).")
    int feedbackWindow;

    @Override
    public Integer call() throws InterruptedException {
        StartupTimeline.mark("picocli parsed; ServeCommand.call");
        if ((modelFile == null) == (repository == null)) {
            throw new IllegalArgumentException("give either MODEL.onnx or --model-repository DIR (exactly one)");
        }
        if (repository != null) {
            refuseModelFolder(repository);
        }
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        ServingOptions servingOptions = ServingOptions.of(modelFile != null ? modelFile : repository, name)
                .withWorkers(workers != null ? workers : cores, queueSize)
                .withDefaultTimeoutMs(defaultTimeoutMs)
                .withMemory(Math.multiplyExact(memoryBudgetMb, 1024L * 1024L), lazyLoad);
        IntakeLimits defaults = IntakeLimits.defaults();
        IntakeLimits limits = defaults.withMaxInflightBodyBytes(
                        maxInflightBodyBytes != null ? maxInflightBodyBytes : defaults.maxInflightBodyBytes())
                .withTimeouts(headerTimeout, bodyIdleTimeout, keepAliveTimeout)
                .withConnections(
                        maxConnections != null ? maxConnections : defaults.maxConnections(), maxStreamsPerConnection);
        ServerOptions serverOptions = new ServerOptions(
                host, httpPort, grpcPort, maxBodyBytes, eventLoops != null ? eventLoops : cores, limits);

        ShutdownOptions shutdown =
                new ShutdownOptions(seconds("--drain-seconds", drainSeconds), seconds("--grace-seconds", graceSeconds));

        ModelControlOptions control =
                new ModelControlOptions(ModelControlOptions.Mode.parse(modelControl), pollInterval, loadModels);
        SecurityOptions security = new SecurityOptions(
                        SecurityOptions.token("--auth-token-file", authTokenFile),
                        SecurityOptions.token("--admin-token-file", adminTokenFile),
                        Optional.ofNullable(tlsCert),
                        Optional.ofNullable(tlsKey))
                .withPublicDocs(observability.publicDocs);

        DriftOptions drift = DriftOptions.defaults()
                .withEnabled(!noDrift)
                .withWindow(driftWindow, driftEvery)
                .withThresholds(driftPsiThreshold, driftKsAlpha);

        PredictionMonitoringOptions predictions = new PredictionMonitoringOptions(
                Optional.ofNullable(predictionLog)
                        .map(dir -> new PredictionLogOptions(
                                dir,
                                predictionLogSampleRate,
                                predictionLogMaxFileBytes,
                                predictionLogMaxFiles,
                                PredictionLogOptions.DEFAULT_QUEUE_CAPACITY)),
                feedbackWindow);

        try (RunningServer running = RunningServer.start(ServerSetup.of(servingOptions, serverOptions)
                .withShutdown(shutdown)
                .withControl(control)
                .withSecurity(security)
                .withDrift(drift)
                .withPredictions(predictions)
                .withCors(observability.cors())
                .withTracing(observability.tracing()))) {
            StartupTimeline.mark("server started");
            running.printBanner(System.out);
            StartupTimeline.mark("banner printed");
            if (exitOnError) {
                List<ModelVersionStatus> failed = failedAtStartUp(running);
                if (!failed.isEmpty()) {
                    failed.forEach(f -> System.err.println(
                            "pier: model " + f.model() + " version " + f.version() + " failed to load: " + f.error()));
                    System.err.println(
                            "pier: exiting because of --exit-on-error (" + failed.size() + " model version(s) failed)");
                    return PierCli.EXIT_FAILURE;
                }
            }
            readyIn()
                    .ifPresent(d ->
                            System.out.printf(java.util.Locale.ROOT, "pier: ready in %.2f s%n", d.toMillis() / 1000.0));
            StartupTimeline.mark("ready printed");
            StartupTimeline.print(System.out);
            running.awaitClose();
        }
        return 0;
    }

    private static List<ModelVersionStatus> failedAtStartUp(RunningServer running) {
        List<ModelVersionStatus> failed = new ArrayList<>();
        for (String model : running.core().modelNames()) {
            for (ModelVersionStatus s : running.core().status(model, OptionalLong.empty())) {
                if (s.state() == ModelState.FAILED) {
                    failed.add(s);
                }
            }
        }
        return failed;
    }

    /**
     * A model folder ({@code models/mnist}, holding {@code 1/model.onnx} or {@code config.yaml}) given as the
     * repository would be read as a repository of models named {@code 1}, {@code 2}...: say what to give instead.
     */
    static void refuseModelFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        String held = null;
        if (Files.isRegularFile(dir.resolve("config.yaml"))) {
            held = "config.yaml";
        } else {
            try (var entries = Files.list(dir)) {
                held = entries.filter(e -> e.getFileName().toString().matches("[1-9][0-9]*") && Files.isDirectory(e))
                        .map(v -> {
                            try (var files = Files.list(v)) {
                                return files.filter(
                                                f -> f.getFileName().toString().endsWith(".onnx"))
                                        .findFirst()
                                        .map(f -> dir.relativize(f).toString())
                                        .orElse(null);
                            } catch (java.io.IOException e) {
                                return null;
                            }
                        })
                        .filter(java.util.Objects::nonNull)
                        .sorted()
                        .findFirst()
                        .orElse(null);
            } catch (java.io.IOException e) {
                return; // the repository scan reports an unreadable folder itself
            }
        }
        if (held != null) {
            Path parent = dir.toAbsolutePath().normalize().getParent();
            Path given = dir.normalize().getParent();
            String use = given != null
                    ? given.toString()
                    : parent != null
                            ? Path.of("").toAbsolutePath().relativize(parent).toString()
                            : "..";
            throw new IllegalArgumentException(dir + " is a model folder (it holds " + held + "), not a repository of "
                    + "model folders; use --model-repository " + (use.isEmpty() ? "." : use));
        }
    }

    /** Time since this process started (the launcher's exec keeps the process), when the OS tells it. */
    static Optional<Duration> readyIn() {
        return ProcessClock.secondsSinceStart().map(s -> Duration.ofMillis(Math.round(s * 1000)));
    }

    private static Duration seconds(String option, double value) {
        if (!(value >= 0) || value > 86_400) {
            throw new IllegalArgumentException(option + " must be a number of seconds in 0..86400, got " + value);
        }
        return Duration.ofMillis(Math.round(value * 1000));
    }
}
