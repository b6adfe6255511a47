package dev.pier.server;

import dev.pier.api.InferenceService;
import dev.pier.api.ModelVersionStatus;
import dev.pier.metrics.ServingMetrics;
import dev.pier.modelcontrol.ExplicitSource;
import dev.pier.modelcontrol.ModelControlOptions;
import dev.pier.modelcontrol.RepositoryPoller;
import dev.pier.modelcontrol.RepositoryRoutes;
import dev.pier.monitor.InferenceTap;
import dev.pier.monitor.MonitoringService;
import dev.pier.monitor.dashboard.DashboardOptions;
import dev.pier.monitor.dashboard.DashboardRoutes;
import dev.pier.monitor.dashboard.DashboardSampler;
import dev.pier.monitor.drift.DriftMonitor;
import dev.pier.monitor.drift.DriftOptions;
import dev.pier.monitor.drift.ProfileLocator;
import dev.pier.monitor.log.PredictionMonitoring;
import dev.pier.protocol.openapi.ApiDocsRoutes;
import dev.pier.routing.LabelRoutes;
import dev.pier.runtime.onnx.OrtEngine;
import dev.pier.serving.ServingCore;
import dev.pier.serving.ServingOptions;
import dev.pier.tracing.ExecutionTimings;
import dev.pier.tracing.Tracing;
import dev.pier.tracing.TracingHttpHandler;
import dev.pier.tracing.TracingService;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole serving process in one object: ONNX Runtime engine, serving core (models loaded and warmed up)
 * and the network front-ends, started in that order and closed in reverse. Used by {@code pier serve} and
 * {@code pier quickstart}; closing is idempotent.
 *
 * <p>Graceful shutdown: SIGTERM is trapped (not left to a JVM shutdown hook) so that after a clean drain
 * {@link #awaitClose()} returns and the CLI exits with 0, which is what Kubernetes and systemd expect from a
 * process that stopped as asked; a JVM that merely runs its hooks on SIGTERM would exit with 143. The
 * sequence ({@link #shutdown(Duration)}): readiness goes false at once; requests are still served for the drain
 * window; then new ones get a clean 503 / UNAVAILABLE; accepted ones finish until the grace period ends;
 * then the ports close, models unload and the engine goes. Other exits (SIGINT, {@code System.exit}) still
 * run the same sequence without the drain window, from a shutdown hook.
 */
public final class RunningServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunningServer.class);
    private static final long REFUSE_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final ServingCore core;
    private final PierServer server;
    private final Drain drain;
    private final ShutdownOptions shutdown;
    private final ServingMetrics metrics;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread shutdownHook;
    private final DashboardRoutes dashboard;
    /** Everything start-up opened; closed in reverse at the end of shutdown (and on a failed start). */
    private final ResourceStack opened;

    private RunningServer(
            ServingCore core,
            PierServer server,
            Drain drain,
            ShutdownOptions shutdown,
            ServingMetrics metrics,
            DashboardRoutes dashboard,
            ResourceStack opened) {
        this.dashboard = dashboard;
        this.metrics = metrics;
        this.core = core;
        this.server = server;
        this.drain = drain;
        this.shutdown = shutdown;
        this.opened = opened;
        this.shutdownHook = new Thread(() -> shutdown(Duration.ZERO), "pier-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        SignalTrap.onTerm(() -> {
            Thread t = new Thread(() -> shutdown(shutdown.drain()), "pier-sigterm");
            t.start();
        });
    }

    /** Loads every model, then binds the ports; returns when both are done. Defaults for everything else. */
    public static RunningServer start(ServingOptions serving, ServerOptions network) {
        return start(ServerSetup.of(serving, network));
    }

    /**
     * Loads every model, then binds the ports. {@code setup.control()} chooses none / poll / explicit (explicit
     * mounts the repository API), {@code security} adds bearer tokens and TLS, {@code drift} watches versions
     * with a reference profile, {@code predictions} adds the prediction log and feedback. Each resource is pushed
     * on one {@link ResourceStack} as it opens; a failure closes what was opened, in reverse.
     */
    public static RunningServer start(ServerSetup setup) {
        ServingOptions serving = setup.serving();
        ModelControlOptions control = setup.control();
        DriftOptions driftOptions = setup.drift();
        ResourceStack opened = new ResourceStack();
        try {
            // Vert.x and the protocol classes on a second thread while this one starts ONNX Runtime and loads models
            NetworkWarmup warmup = opened.push(
                    "the network warm-up", NetworkWarmup.start(setup.network().eventLoops()));
            OrtEngine engine = opened.push("the ONNX Runtime engine", new OrtEngine());
            StartupTimeline.mark("ONNX Runtime engine");
            ServingMetrics metrics = opened.push("metrics", new ServingMetrics(false));
            StartupTimeline.mark("metrics registry and binders");
            Tracing tracing = opened.push("tracing", Tracing.create(setup.tracing()));
            StartupTimeline.mark("tracing");
            ExplicitSource explicit = control.mode() == ModelControlOptions.Mode.EXPLICIT
                    ? new ExplicitSource(serving.source(), control.startupModels())
                    : null;
            // one way to start the core in every model control mode: only the source differs
            ServingCore core = opened.push(
                    "the serving core",
                    ServingCore.start(
                            serving,
                            explicit != null ? explicit : serving.source(),
                            engine,
                            metrics, // each version's series from its load on, at zero
                            new ExecutionTimings(metrics, tracing.exporting())));
            StartupTimeline.mark("serving core: models loaded");
            DriftMonitor drift = opened.push(
                    "drift monitoring",
                    driftOptions.enabled()
                            ? new DriftMonitor(
                                    ProfileLocator.beside(serving.source()), driftOptions, metrics.registry())
                            : null);
            StartupTimeline.mark("drift monitor");
            DashboardSampler dashboardSampler = opened.push(
                    "the dashboard sampler",
                    DashboardSampler.start(core, metrics.registry(), DashboardOptions.defaults()));
            StartupTimeline.mark("dashboard sampler");
            DashboardRoutes dashboard = opened.push("the dashboard", new DashboardRoutes(dashboardSampler));
            StartupTimeline.mark("dashboard routes");
            Drain drain = new Drain();
            PredictionMonitoring predictions = opened.push(
                    "the prediction log", PredictionMonitoring.start(setup.predictions(), metrics.registry()));
            StartupTimeline.mark("prediction log");
            // monitoring taps (prediction log, drift) are added here as they are built; with none, the
            // decorator still gives every request an id that the protocols echo
            List<InferenceTap> taps = new java.util.ArrayList<>(predictions.taps());
            if (drift != null) {
                taps.add(drift);
            }
            InferenceService served = new TracingService(new MonitoringService(core, taps));
            StartupTimeline.mark("monitoring taps");
            PierServer server = opened.push(
                    "the network servers",
                    PierServer.start(
                            warmup.takeVertx(),
                            setup.network(),
                            new DrainAwareService(served, drain),
                            metrics,
                            drain,
                            setup.security(),
                            next -> new TracingHttpHandler(tracing, next),
                            router -> {
                                CorsRoutes.mount(router, setup.cors());
                                new ApiDocsRoutes(served, ServingMetrics.BUILD_VERSION).mount(router);
                                new LabelRoutes(core).mount(router);
                                predictions.mount(router);
                                dashboard.mount(router);
                                if (explicit != null) {
                                    new RepositoryRoutes(core, explicit).mount(router);
                                }
                            }));
            metrics.bindConnections(server::openConnections);
            StartupTimeline.mark("network servers bound");
            opened.push(
                    "the repository poller",
                    control.mode() == ModelControlOptions.Mode.POLL
                            ? RepositoryPoller.start(core, control.pollInterval())
                            : null);
            afterReady(metrics);
            return new RunningServer(core, server, drain, setup.shutdown(), metrics, dashboard, opened);
        } catch (RuntimeException | Error e) {
            opened.close();
            throw e;
        }
    }

    /**
     * Start-up work no request needs, done once the ports are bound, on a low-priority daemon thread so that it
     * neither delays readiness nor runs on an event loop: the JVM and process metric binders (a scrape before they
     * are bound binds them itself), and the soft heap target ({@link HeapTarget}).
     */
    private static void afterReady(ServingMetrics metrics) {
        Thread t = new Thread(
                () -> {
                    long soft = HeapTarget.apply();
                    StartupTimeline.mark(
                            "after ready: soft heap target " + (soft < 0 ? "left to the JVM" : (soft >> 20) + " MB"));
                    try {
                        metrics.bindJvmMetrics();
                        StartupTimeline.mark("after ready: JVM metrics bound");
                    } catch (RuntimeException e) {
                        LOG.warn("binding the JVM metrics failed: {}", e.toString());
                    }
                },
                "pier-after-ready");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    public ServingCore core() {
        return core;
    }

    /** The server's metrics (and through them its Micrometer registry). */
    public ServingMetrics metrics() {
        return metrics;
    }

    public int httpPort() {
        return server.httpPort();
    }

    public int grpcPort() {
        return server.grpcPort();
    }

    /** Prints the models with their versions and states, then where each protocol listens. */
    public void printBanner(PrintStream out) {
        for (String model : core.modelNames()) {
            for (ModelVersionStatus s : core.status(model, OptionalLong.empty())) {
                out.println("pier: model " + model + " version " + s.version() + " " + s.state()
                        + (s.error().isEmpty() ? "" : ": " + s.error()));
            }
        }
        ListenAddress rest = new ListenAddress(server.host(), httpPort(), server.tls() ? "https://" : "http://");
        ListenAddress grpc = new ListenAddress(server.host(), grpcPort(), "");
        out.println("pier: REST (KServe V2 /v2/..., TF Serving /v1/...) " + rest);
        out.println("pier: dashboard on " + rest.local() + "/dashboard");
        out.println("pier: API (OpenAPI) on " + rest.local() + "/v2/docs and /v2/openapi.json");
        out.println("pier: gRPC ("
                + String.join(", ", dev.pier.protocol.grpc.GrpcApi.reflection().serviceNames())
                + (server.tls() ? "; TLS" : "; plaintext") + ") " + grpc);
        out.println("pier: ready=" + core.isReady() + "; Ctrl-C to stop");
        out.flush();
    }

    /** Blocks until the server is closed (by {@link #close()} or a shutdown signal). */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /** Closes now: no drain window, accepted requests still finish within the grace period. */
    @Override
    public void close() {
        shutdown(Duration.ZERO);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run; nothing left to do
        }
    }

    /**
     * The graceful shutdown sequence; idempotent (a second caller waits for the first to finish).
     *
     * @param drainWindow how long to keep serving (not ready) before refusing new requests
     */
    public synchronized void shutdown(Duration drainWindow) {
        if (closed.getCount() == 0) {
            return;
        }
        long deadline = System.nanoTime() + shutdown.grace().toNanos();
        drain.advance(Drain.Phase.DRAINING);
        System.out.println("pier: shutting down: not ready; serving for " + drainWindow.toMillis()
                + " ms, then refusing new requests; " + "grace "
                + shutdown.grace().toSeconds() + " s");
        System.out.flush();
        try {
            Thread.sleep(Math.min(drainWindow.toMillis(), shutdown.grace().toMillis()));
            drain.advance(Drain.Phase.REFUSING);
            dashboard.close(); // open event streams count as requests in flight: end them, or they hold the drain
            // linger briefly even when idle, so clients still sending get a clean 503 (and their keep-alive
            // connection closed by that answer) rather than a connection closed under them
            long linger = Math.min(System.nanoTime() + REFUSE_LINGER_NANOS, deadline);
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(linger - System.nanoTime())));
            if (!drain.awaitIdle(deadline)) {
                LOG.warn(
                        "grace period of {} s over with {} request(s) still in flight; they are cut",
                        shutdown.grace().toSeconds(),
                        drain.inFlight());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int cut = drain.inFlight();
        drain.advance(Drain.Phase.CLOSED);
        // the listeners go first, so no connection is accepted only to be closed unanswered; what is being
        // answered (a 503 to a request that just arrived) still goes out
        server.stopAccepting(Duration.ofSeconds(1));
        // the poller, the ports, the prediction log, the dashboard, drift, the models (drained, then unloaded),
        // metrics and the engine: the reverse of start-up
        opened.close();
        System.out.println("pier: stopped; " + cut + " accepted request(s) cut by the grace period");
        System.out.flush();
        closed.countDown();
    }
}
