package dev.pier.pipeline;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code pier pipeline watch}: watches the canary a run published on the running server for a while, then promotes it
 * (it alone serves) or rolls it back (the stable version alone serves), by editing the repository's config, which
 * {@code pier serve --model-control poll} picks up. It rolls back at once when the canary's live accuracy (with enough
 * feedback) falls below the minimum or its drift rises above the maximum; it promotes at the end only when live accuracy
 * was measured and held. The decision is added to the run record. Single use, single thread.
 */
public final class CanaryWatch {

    /**
     * @param workspace       the pipeline file's folder
     * @param runId           the run that published the canary (id, prefix or latest)
     * @param server          the running server
     * @param duration        how long to watch
     * @param interval        time between two reads of its metrics
     * @param minLiveAccuracy the canary's live accuracy must stay at least this
     * @param maxDrift        its largest drift score must stay at most this
     * @param minFeedback     labelled predictions needed before its live accuracy counts
     * @param token           bearer token for the server, or null
     */
    public record Options(
            Path workspace,
            String runId,
            URI server,
            Duration duration,
            Duration interval,
            double minLiveAccuracy,
            double maxDrift,
            long minFeedback,
            String token,
            PrintStream out) {}

    /** @param decision promoted or rolled_back */
    public record Decision(
            String decision,
            String reason,
            long canary,
            long stable,
            Double liveAccuracy,
            Double feedback,
            Double drift) {}

    /**
     * Why a run leaves no canary to decide: it published none (a gate failed, nothing was new, or no
     * {@code publish.canary}), its canary was already decided, or that version is no longer in a traffic split.
     * Empty when there is one to watch. An unattended loop ({@code watch --if-canary}) asks this first.
     */
    public static Optional<String> nothingToWatch(Path workspace, String runId) {
        RunRecord run = new RunStore(workspace).read(runId);
        Map<String, Object> published = run.published();
        if (published == null || !(published.get("canary") instanceof Map<?, ?>)) {
            return Optional.of("run " + run.runId() + " published no canary (publish: {canary: N} in the pipeline)");
        }
        if (!run.decisions().isEmpty()) {
            return Optional.of("run " + run.runId() + "'s canary was already decided: "
                    + run.decisions().getLast());
        }
        long canary = ((Number) published.get("version")).longValue();
        String model = String.valueOf(published.get("model"));
        if (new ModelRepository(workspace.resolve(String.valueOf(published.get("repository"))), model)
                .share(canary)
                .isEmpty()) {
            return Optional.of("version " + canary + " of " + model + " is not in a traffic split any more");
        }
        return Optional.empty();
    }

    public Decision watch(Options o) throws InterruptedException {
        Optional<String> nothing = nothingToWatch(o.workspace(), o.runId());
        if (nothing.isPresent()) {
            throw new IllegalArgumentException(nothing.get());
        }
        RunStore store = new RunStore(o.workspace());
        RunRecord run = store.read(o.runId());
        Map<String, Object> published = run.published();
        long canary = ((Number) published.get("version")).longValue();
        long stable = ((Number) ((Map<?, ?>) published.get("canary")).get("stable")).longValue();
        String model = String.valueOf(published.get("model"));
        ModelRepository repo =
                new ModelRepository(o.workspace().resolve(String.valueOf(published.get("repository"))), model);
        Instant end = Instant.now().plus(o.duration());
        LiveFigures last = new LiveFigures(null, null, null);
        String verdict = null;
        while (verdict == null) {
            last = LiveFigures.read(o.server(), model, canary, o.token());
            o.out()
                    .printf(
                            Locale.ROOT,
                            "canary %s version %d: live accuracy %s on %s labelled, drift %s%n",
                            model,
                            canary,
                            fmt(last.accuracy()),
                            fmt(last.feedback()),
                            fmt(last.drift()));
            verdict = early(last, o);
            if (verdict == null && !Instant.now().plus(o.interval()).isBefore(end)) {
                break;
            }
            if (verdict == null) {
                Thread.sleep(o.interval().toMillis());
            }
        }
        boolean promote;
        if (verdict != null) {
            promote = false;
        } else if (last.accuracy() == null || last.feedback() == null || last.feedback() < o.minFeedback()) {
            promote = false;
            verdict = "not enough feedback to judge the canary (" + fmt(last.feedback()) + " labelled, "
                    + o.minFeedback() + " needed)";
        } else {
            promote = true;
            verdict = String.format(
                    Locale.ROOT,
                    "live accuracy %.4f >= %.4f and drift %s <= %.4f over %s",
                    last.accuracy(),
                    o.minLiveAccuracy(),
                    fmt(last.drift()),
                    o.maxDrift(),
                    o.duration());
        }
        if (promote) {
            repo.serveOnly(canary);
        } else {
            repo.serveOnly(stable);
        }
        Decision d = new Decision(
                promote ? "promoted" : "rolled_back",
                verdict,
                canary,
                stable,
                last.accuracy(),
                last.feedback(),
                last.drift());
        Map<String, Object> entry = new LinkedHashMap<>(RunStore.JSON.convertValue(d, Map.class));
        entry.put("at", Instant.now().toString());
        store.write(run.withDecision(entry));
        o.out().println((promote ? "promoted version " + canary : "rolled back to version " + stable) + ": " + verdict);
        return d;
    }

    /** A reason to roll back now, or null. */
    private static String early(LiveFigures f, Options o) {
        if (f.drift() != null && f.drift() > o.maxDrift()) {
            return String.format(Locale.ROOT, "drift %.4f > max %.4f", f.drift(), o.maxDrift());
        }
        if (f.accuracy() != null
                && f.feedback() != null
                && f.feedback() >= o.minFeedback()
                && f.accuracy() < o.minLiveAccuracy()) {
            return String.format(
                    Locale.ROOT,
                    "live accuracy %.4f < min %.4f on %.0f labelled predictions",
                    f.accuracy(),
                    o.minLiveAccuracy(),
                    f.feedback());
        }
        return null;
    }

    private static String fmt(Double d) {
        return d == null ? "n/a" : String.format(Locale.ROOT, "%.4f", d);
    }
}
