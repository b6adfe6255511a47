package dev.pier.metrics;

import dev.pier.api.ModelState;
import dev.pier.serving.InferenceObserver;
import dev.pier.serving.ModelStateListener;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The server's metrics, scraped at {@code GET /metrics}. Series per model and version (labels {@code model},
 * {@code version}):
 * <ul>
 *   <li>Triton's cumulative series under Triton's exact names, so existing dashboards work:
 *   {@code nv_inference_request_success}, {@code nv_inference_request_failure}, {@code nv_inference_count}
 *   (inferences = batch rows), {@code nv_inference_exec_count} (runtime calls; lower than the count when
 *   requests were batched), {@code nv_inference_request_duration_us}, {@code nv_inference_queue_duration_us},
 *   {@code nv_inference_compute_infer_duration_us}. They only ever grow; they are exported as gauges because
 *   Prometheus client 1.x would append {@code _total} to counters and change Triton's names.</li>
 *   <li>{@code pier_inference_request_duration_seconds} (histogram), {@code pier_inference_batch_size}
 *   (rows per runtime call, histogram), {@code pier_inference_pending_requests} (queued or running).</li>
 *   <li>JVM memory, GC, threads, class loading and CPU (Micrometer's binders); the standard process series
 *   ({@link ProcessMetrics}); {@code pier_http_connections_open}; {@code pier_build_info{version,...} 1}.</li>
 * </ul>
 * Requests that fail before a version is chosen (unknown model) are not counted: their model name comes from
 * the client and would let anyone create series without bound.
 *
 * <p>A version's series exist from the moment it becomes AVAILABLE (told as a {@link ModelStateListener}), at
 * zero, as Triton exports a loaded model's: a counter that first appears at 1 loses that first request to
 * Prometheus' {@code rate()} and {@code increase()}, and a dashboard shows "no data" for a model that simply has
 * had no traffic yet. Making them then also keeps their registration (a few milliseconds the first time, for the
 * histograms' classes) out of the first request.
 *
 * <p>Thread-safe. Owns the registry; {@link #close()} stops the GC listener.
 */
public final class ServingMetrics implements InferenceObserver, ModelStateListener, Supplier<String>, AutoCloseable {
    /** The version {@code pier --version} and {@code GET /v2} report. */
    public static final String BUILD_VERSION = "0.1.0";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Series> series = new ConcurrentHashMap<>();
    /** Created when bound: its constructor already reads the JVM's memory pools. */
    private JvmGcMetrics gc; // guarded by this
    /** Held here: Micrometer keeps only weak references to the objects its function meters read. */
    private final ProcessMetrics process = new ProcessMetrics();

    private boolean jvmBound; // guarded by this

    /** A registry with every series bound at once. */
    public ServingMetrics() {
        this(true);
    }

    /**
     * @param bindJvmNow false: the JVM and process binders (memory pools, GC, threads, class loading, CPU,
     *                   {@code /proc}) wait for {@link #bindJvmMetrics()}, which {@code pier serve} calls after it is
     *                   ready (they cost start-up time and no request needs them); a scrape before that binds them
     *                   itself, so {@code /metrics} never lacks them
     */
    public ServingMetrics(boolean bindJvmNow) {
        // promtool's lint, applied to the binders' Micrometer names: the CPU time in nanoseconds duplicates
        // process_cpu_seconds_total (ProcessMetrics), and a gauge may not end in _count
        registry.config()
                .meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")))
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        return id.getName().equals("system.cpu.count")
                                ? id.withName("system.cpu.logical.processors")
                                : id;
                    }
                });
        Gauge.builder("pier.build.info", () -> 1)
                .description("always 1; the labels say which Pier and Java run")
                .tags(
                        "version",
                        BUILD_VERSION,
                        "java_version",
                        System.getProperty("java.version", "unknown"),
                        "java_vendor",
                        System.getProperty("java.vendor", "unknown"))
                .register(registry);
        if (bindJvmNow) {
            bindJvmMetrics();
        }
    }

    /** Binds the JVM and process series (Micrometer's binders, {@link ProcessMetrics}); idempotent. */
    public synchronized void bindJvmMetrics() {
        if (jvmBound) {
            return;
        }
        jvmBound = true;
        process.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /**
     * Exports {@code pier_http_connections_open}: client connections open now on the REST and gRPC ports
     * (Netty channels that Vert.x has accepted and not closed). Called once the ports are bound.
     */
    public void bindConnections(IntSupplier openConnections) {
        Gauge.builder("pier.http.connections.open", openConnections, IntSupplier::getAsInt)
                .strongReference(true)
                .description("client connections open on the REST and gRPC ports")
                .register(registry);
    }

    /**
     * The registry behind {@code /metrics}, for other parts of the server that export series of their own
     * (drift scores, live accuracy) or read them back (the dashboard). Owned by this object.
     */
    public io.micrometer.core.instrument.MeterRegistry registry() {
        return registry;
    }

    /** Prometheus text exposition format (version 0.0.4). */
    @Override
    public String get() {
        bindJvmMetrics();
        return registry.scrape();
    }

    @Override
    public void onRequest(
            String model,
            long version,
            boolean success,
            int rows,
            long queueNanos,
            long computeNanos,
            long totalNanos) {
        if (version < 0) {
            return;
        }
        Series s = series(model, version);
        (success ? s.success : s.failure).incrementAndGet();
        s.requestMicros.addAndGet(totalNanos / 1000);
        if (success) {
            s.count.addAndGet(rows);
            s.queueMicros.addAndGet(queueNanos / 1000);
            s.computeMicros.addAndGet(computeNanos / 1000);
        }
        s.latency.record(totalNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onExecution(String model, long version, int batchRows) {
        Series s = series(model, version);
        s.exec.incrementAndGet();
        s.batchSize.record(batchRows);
    }

    @Override
    public void onPending(String model, long version, int delta) {
        series(model, version).pending.addAndGet(delta);
    }

    /** A version that became AVAILABLE gets its series now, at zero; other transitions change nothing. */
    @Override
    public void onTransition(Event event) {
        if (event.to() == ModelState.AVAILABLE) {
            series(event.model(), event.version());
        }
    }

    private Series series(String model, long version) {
        // each request looks its series up four times (pending +1/-1, execution, request): the last one found is
        // kept so that a server with one busy version does not build a key string and a lambda each time
        Found last = this.last;
        if (last != null && last.version == version && last.model.equals(model)) {
            return last.series;
        }
        Series found = series.computeIfAbsent(
                model + "\u0000" + version,
                k -> new Series(Tags.of("model", model, "version", Long.toString(version))));
        this.last = new Found(model, version, found);
        return found;
    }

    /** The series of one model version, as last looked up. */
    private record Found(String model, long version, Series series) {}

    private volatile Found last;

    @Override
    public void close() {
        synchronized (this) {
            jvmBound = true; // a scrape racing with close binds nothing more
            if (gc != null) {
                gc.close();
            }
        }
        registry.close();
    }

    /** The meters of one model version. */
    private final class Series {
        final AtomicLong success = new AtomicLong();
        final AtomicLong failure = new AtomicLong();
        final AtomicLong count = new AtomicLong();
        final AtomicLong exec = new AtomicLong();
        final AtomicLong requestMicros = new AtomicLong();
        final AtomicLong queueMicros = new AtomicLong();
        final AtomicLong computeMicros = new AtomicLong();
        final AtomicLong pending = new AtomicLong();
        final Timer latency;
        final DistributionSummary batchSize;

        Series(Tags tags) {
            cumulative("nv_inference_request_success", "successful inference requests", success, tags);
            cumulative("nv_inference_request_failure", "failed inference requests", failure, tags);
            cumulative("nv_inference_count", "inferences performed (a batch of n rows counts n)", count, tags);
            cumulative("nv_inference_exec_count", "model executions (runtime calls) performed", exec, tags);
            cumulative(
                    "nv_inference_request_duration_us",
                    "cumulative end-to-end request time, microseconds",
                    requestMicros,
                    tags);
            cumulative(
                    "nv_inference_queue_duration_us",
                    "cumulative time requests waited in the queue, microseconds",
                    queueMicros,
                    tags);
            cumulative(
                    "nv_inference_compute_infer_duration_us",
                    "cumulative model execution time, microseconds",
                    computeMicros,
                    tags);
            Gauge.builder("pier_inference_pending_requests", pending, AtomicLong::get)
                    .description("requests queued or running")
                    .tags(tags)
                    .register(registry);
            latency = Timer.builder("pier_inference_request_duration")
                    .description("end-to-end request latency")
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(100_000))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .tags(tags)
                    .register(registry);
            batchSize = DistributionSummary.builder("pier_inference_batch_size")
                    .description("rows per model execution")
                    .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
                    .tags(tags)
                    .register(registry);
        }

        private void cumulative(String name, String help, AtomicLong value, Tags tags) {
            Gauge.builder(name, value, AtomicLong::get)
                    .description(help)
                    .tags(tags)
                    .register(registry);
        }
    }
}
