package dev.pier.monitor.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pier.protocol.HttpSupport;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/**
 * The dashboard's HTTP routes on the REST port:
 * <ul>
 *   <li>{@code GET /dashboard}: the page; {@code GET /dashboard/assets/...}: its scripts and styles;</li>
 *   <li>{@code GET /dashboard/api/snapshot}: {@code {"intervalSeconds", "historySeconds", "snapshots": [...]}},
 *   the kept history of {@link DashboardSnapshot}s, oldest first;</li>
 *   <li>{@code GET /dashboard/api/events}: server-sent events, one {@link DashboardSnapshot} as JSON per interval.</li>
 * </ul>
 * The page and assets hold no data and are open (see {@link #OPEN_PATHS}); the two API routes need the
 * inference bearer token when one is set, like the inference routes. Thread-safe; {@link #mount} may be
 * called once per event-loop router. Owns the event streams, not the sampler.
 */
public final class DashboardRoutes implements AutoCloseable {
    /** Exact URL paths a browser may load without a token: the page shell and its static files. */
    public static final Set<String> OPEN_PATHS = DashboardAssets.PATHS;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DashboardSampler sampler;
    private final DashboardAssets assets = new DashboardAssets();
    private final EventStreams streams = new EventStreams();
    private final AutoCloseable subscription;

    public DashboardRoutes(DashboardSampler sampler) {
        this.sampler = sampler;
        // serialized once per interval on the sampler's thread, then written to every stream
        this.subscription = sampler.subscribe(s -> streams.publish(json(s)));
    }

    public void mount(Router router) {
        for (String path : DashboardAssets.PATHS) {
            router.get(path).handler(this::asset);
        }
        router.get("/dashboard/api/snapshot").handler(this::snapshot);
        router.get("/dashboard/api/events")
                .handler(ctx -> streams.open(
                        ctx, sampler.latest().map(DashboardRoutes::json).orElse(null)));
    }

    private void asset(RoutingContext ctx) {
        DashboardAssets.Asset asset = assets.get(ctx.request().path());
        ctx.response()
                .putHeader("Content-Type", asset.contentType())
                .putHeader("Cache-Control", "no-cache")
                .end(io.vertx.core.buffer.Buffer.buffer(asset.bytes()));
    }

    private void snapshot(RoutingContext ctx) {
        // up to a few hundred snapshots: serialized off the event loop
        HttpSupport.offTheEventLoop(
                ctx,
                () -> history(sampler.history()),
                history -> ctx.response()
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Cache-Control", "no-store")
                        .end(history));
    }

    private String history(List<DashboardSnapshot> history) {
        ObjectNode root = JSON.createObjectNode();
        root.put("intervalSeconds", sampler.options().interval().toMillis() / 1000.0);
        root.put("historySeconds", sampler.options().history().toSeconds());
        root.set("snapshots", JSON.valueToTree(history));
        return root.toString();
    }

    static String json(DashboardSnapshot snapshot) {
        try {
            return JSON.writeValueAsString(snapshot);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Number of open event streams. */
    public int openStreams() {
        return streams.size();
    }

    /** Ends every event stream (at shutdown, before the drain waits for requests in flight) and stops publishing. */
    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        streams.close();
    }
}
